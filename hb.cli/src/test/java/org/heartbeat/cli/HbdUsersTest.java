package org.heartbeat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.heartbeat.config.PasswordHash;
import org.heartbeat.config.TokenFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hbd passwd} and {@code hbd token}, run through picocli in this JVM (no terminal: stdin is read). */
class HbdUsersTest {
    @TempDir
    Path dir;

    private static Cli withStdin(String input, String... args) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return Cli.hbd(args);
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void passwdReadsOneLineAndPrintsOnlyAHashThatVerifies() {
        Cli run = withStdin("pässwörd with spaces \nsecond line ignored\n", "passwd", "alice");

        assertThat(run.exit()).isZero();
        String hash = run.out().strip();
        assertThat(hash).matches("pbkdf2:sha256:600000\\$[A-Za-z0-9]{16}\\$[0-9a-f]{64}");
        assertThat(PasswordHash.parse(hash).verify("pässwörd with spaces ")).isTrue();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void passwdRefusesAnEmptyPasswordAndABadName() {
        Cli empty = withStdin("\n", "passwd", "alice");
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.out()).isEmpty();
        assertThat(empty.err()).contains("the password is empty");

        Cli none = withStdin("", "passwd", "alice");
        assertThat(none.exit()).isEqualTo(1);

        Cli name = withStdin("x\n", "passwd", "al ice");
        assertThat(name.exit()).isEqualTo(2);
        assertThat(name.err()).contains("a user name is");
    }

    @Test
    void passwdHelpSaysWhereTheHashGoes() {
        Cli run = Cli.hbd("passwd", "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("asks twice without echo", "standard input", "users:", "hbd reload",
                "printf '%s\\n'");
    }

    private Path config() throws Exception {
        return Files.writeString(dir.resolve("hb.yaml"), """
                pickfile: %s
                users:
                  alice:
                    password: pbkdf2:sha256:1000$abcdefgh12345678$ff230943be408e59715ba0b36f988109dfd4ca63f15795889319022646a88364
                  bob: {}
                """.formatted(dir.resolve("state.pick")));
    }

    @Test
    void tokensAreCreatedListedAndRevokedInTheFileBesideTheStateFile() throws Exception {
        String c = config().toString();
        Cli made = Cli.hbd("token", "create", "-c", c, "alice", "--name", "nagios on mon1");
        assertThat(made.exit()).isZero();
        String token = made.out().strip();
        assertThat(token).startsWith(TokenFile.PREFIX);
        Path file = dir.resolve(".hb.tokens");
        assertThat(Files.readString(file)).doesNotContain(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        TokenFile.Token stored = new TokenFile(file).find(token).orElseThrow();
        assertThat(made.err()).contains("Token " + stored.id() + " for alice", "shown once");

        Cli list = Cli.hbd("token", "list", "-c", c);
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("ID", "USER", "CREATED", "LABEL", stored.id(), "alice", "nagios on mon1")
                .doesNotContain(token);

        Cli revoked = Cli.hbd("token", "revoke", "-c", c, stored.id());
        assertThat(revoked.exit()).isZero();
        assertThat(revoked.out().strip()).isEqualTo("revoked token " + stored.id() + " of alice");
        assertThat(new TokenFile(file).find(token)).isEmpty();

        Cli again = Cli.hbd("token", "revoke", "-c", c, stored.id());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("no token " + stored.id());
        assertThat(Cli.hbd("token", "list", "-c", c).out()).contains("no tokens");
    }

    @Test
    void aTokenIsMadeOnlyForAConfiguredUser() throws Exception {
        Cli run = Cli.hbd("token", "create", "-c", config().toString(), "mallory");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("mallory is not in users:");
        assertThat(run.out()).isEmpty();
        assertThat(dir.resolve(".hb.tokens")).doesNotExist();
    }

    @Test
    void tokenWithoutSubcommandShowsItsUsage() {
        Cli run = Cli.hbd("token");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("create", "list", "revoke", "a subcommand is needed");
    }
}
