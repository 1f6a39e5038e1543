package org.heartbeat.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.heartbeat.config.PasswordHash;
import org.heartbeat.config.ServerConfig;
import org.heartbeat.config.TokenFile;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hbd passwd} and {@code hbd token}: the users' passwords and API tokens (docs/USERS.md). */
final class HbdUsers {
    private HbdUsers() {
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Make the hash of a user's password for users: NAME: password: in the configuration. On a "
                    + "terminal it asks twice without echo; otherwise it reads the password from the first line of "
                    + "standard input. Prints the hash (pbkdf2:sha256:600000$SALT$HASH, Werkzeug's format) and "
                    + "nothing else on standard output.",
            footer = {"", "Then paste it into the configuration and apply it with hbd reload:", "  users:",
                    "    alice:", "      password: pbkdf2:sha256:600000$...", "", "Examples:", "  hbd passwd alice",
                    "  printf '%%s\\n' \"$PASSWORD\" | hbd passwd alice", Exit.HELP_FOOTER})
    static final class Passwd implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The user's name, as in users:")
        String name;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if (!name.matches("[A-Za-z0-9_.@-]{1,64}")) {
                err.println("hbd: a user name is 1 to 64 letters, digits, '_', '.', '@' or '-'");
                return Exit.USAGE;
            }
            Console console = System.console();
            char[] password;
            if (console != null) {
                password = console.readPassword("New password for %s: ", name);
                char[] again = password == null ? null : console.readPassword("Again: ");
                if (password == null || again == null) {
                    err.println("hbd: no password given");
                    return Exit.FAILURE;
                }
                boolean same = Arrays.equals(password, again);
                Arrays.fill(again, '\0');
                if (!same) {
                    Arrays.fill(password, '\0');
                    err.println("hbd: the two passwords differ; nothing made");
                    return Exit.FAILURE;
                }
            } else {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                password = line == null ? new char[0] : line.toCharArray();
            }
            if (password.length == 0) {
                err.println("hbd: the password is empty; nothing made");
                return Exit.FAILURE;
            }
            String hash = PasswordHash.create(password).text();
            Arrays.fill(password, '\0');
            spec.commandLine().getOut().println(hash);
            if (console != null) {
                err.println("Paste it into the configuration under users: " + name + ": password:, then: hbd reload");
            }
            return Exit.OK;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Manage API tokens: a script or a monitoring system sends one as Authorization: Bearer TOKEN "
                    + "(hbd check --token) instead of a password. Only a token's SHA-256 hash is kept, in the token "
                    + "file (tokenfile, by default .hb.tokens beside the pickfile; mode 600); the running hbd sees "
                    + "changes at once, without reload.",
            subcommands = {Create.class, ListTokens.class, Revoke.class},
            footer = {"", "Examples:", "  hbd token create alice --name nagios", "  hbd token list",
                    "  hbd token revoke 3f9a0c1e", Exit.HELP_FOOTER})
    static final class Token implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getErr());
            throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a token for a user of users: and print it, once: it is stored nowhere, only its hash "
                    + "is. The token acts with the user's rights.",
            footer = {"", "Prints the token alone on standard output, so that: TOKEN=$(hbd token create alice)",
                    Exit.HELP_FOOTER})
    static final class Create implements Callable<Integer> {
        @CommandLine.Mixin
        Hbd.ConfigOption config = new Hbd.ConfigOption();

        @Parameters(paramLabel = "USER", description = "The user the token acts for")
        String user;

        @Option(names = {"-n", "--name"}, paramLabel = "LABEL",
                description = "A note for hbd token list, such as where the token is used")
        String label;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ServerConfig c = config.load(err);
            if (c == null) {
                return Exit.USAGE;
            }
            if (!c.users().containsKey(user)) {
                Object file = config.resolve() == null ? "the configuration (built-in defaults)" : config.resolve();
                err.println("hbd: " + user + " is not in users: of " + file + "; add the user first");
                return Exit.FAILURE;
            }
            try {
                TokenFile.Created made = new TokenFile(c.tokenfile()).create(user, label, Clock.systemUTC());
                spec.commandLine().getOut().println(made.secret());
                err.println("Token " + made.token().id() + " for " + user + " (shown once; hbd token revoke "
                        + made.token().id() + " ends it). Send it as: Authorization: Bearer TOKEN");
                return Exit.OK;
            } catch (IllegalArgumentException e) {
                err.println("hbd: --name: " + e.getMessage());
                return Exit.USAGE;
            } catch (IOException e) {
                err.println("hbd: cannot write the token file " + c.tokenfile() + ": " + e.getMessage());
                return Exit.FAILURE;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the tokens: id, user, when made, label. Tokens themselves cannot be shown: only their "
                    + "hashes are kept.", footer = Exit.HELP_FOOTER)
    static final class ListTokens implements Callable<Integer> {
        @CommandLine.Mixin
        Hbd.ConfigOption config = new Hbd.ConfigOption();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ServerConfig c = config.load(err);
            if (c == null) {
                return Exit.USAGE;
            }
            List<TokenFile.Token> tokens;
            try {
                tokens = new TokenFile(c.tokenfile()).list();
            } catch (IOException e) {
                err.println("hbd: cannot read the token file: " + e.getMessage());
                return Exit.FAILURE;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (tokens.isEmpty()) {
                out.println("no tokens (" + c.tokenfile() + "); make one with: hbd token create USER");
                return Exit.OK;
            }
            int width = Math.max(4, tokens.stream().mapToInt(t -> t.user().length()).max().orElse(4));
            out.printf("%-8s  %-" + width + "s  %-20s  %s%n", "ID", "USER", "CREATED", "LABEL");
            for (TokenFile.Token t : tokens) {
                String user = t.user() + (c.users().containsKey(t.user()) ? "" : " (not in users:, refused)");
                out.printf("%-8s  %-" + width + "s  %-20s  %s%n", t.id(), user,
                        DateTimeFormatter.ISO_INSTANT.format(t.created()), t.label());
            }
            return Exit.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "End a token: the running hbd refuses it from the next request on.",
            footer = Exit.HELP_FOOTER)
    static final class Revoke implements Callable<Integer> {
        @CommandLine.Mixin
        Hbd.ConfigOption config = new Hbd.ConfigOption();

        @Parameters(paramLabel = "ID", description = "The token's id, as hbd token list shows it")
        String id;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ServerConfig c = config.load(err);
            if (c == null) {
                return Exit.USAGE;
            }
            try {
                Optional<TokenFile.Token> gone = new TokenFile(c.tokenfile()).revoke(id);
                if (gone.isEmpty()) {
                    err.println("hbd: no token " + id + " in " + c.tokenfile() + " (see: hbd token list)");
                    return Exit.FAILURE;
                }
                spec.commandLine().getOut().println("revoked token " + id + " of " + gone.get().user());
                return Exit.OK;
            } catch (IOException e) {
                err.println("hbd: cannot change the token file: " + e.getMessage());
                return Exit.FAILURE;
            }
        }
    }
}
