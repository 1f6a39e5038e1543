package org.heartbeat.notify.email.internal;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * A real SMTP server for one test: {@code smtp_server.py}, an aiosmtpd server (Debian's python3-aiosmtpd), in a
 * process of its own on a free port of 127.0.0.1, recording what it accepts to a directory. Its options (see the
 * script) choose TLS, AUTH and the replies it gives.
 */
final class SmtpServer implements AutoCloseable {
    /** One accepted message: its envelope, what the session was, and the message as received. */
    record Received(String mailFrom, List<String> recipients, boolean tls, String authUser, MimeMessage message,
            String raw) {
    }

    private static String python;

    private final Process process;
    private final Path dir;
    private final int port;

    private SmtpServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts the server, recording to {@code dir}, and waits until it listens. */
    static SmtpServer start(Path dir, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python(), script().toString(), "--dir", dir.toString()));
        command.addAll(List.of(options));
        Path log = dir.resolve("server.log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first;
        try {
            first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            first = null;
        }
        if (first == null || !first.startsWith("PORT ")) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return fail("the SMTP server did not start (" + command + "): " + Files.readString(log));
        }
        return new SmtpServer(process, dir, Integer.parseInt(first.substring(5).trim()));
    }

    int port() {
        return port;
    }

    /** What the server accepted so far, in order. */
    List<Received> received() throws IOException, MessagingException {
        List<Path> envelopes;
        try (Stream<Path> files = Files.list(dir)) {
            envelopes = files.filter(p -> p.getFileName().toString().endsWith(".env")).sorted().toList();
        }
        List<Received> out = new ArrayList<>();
        for (Path env : envelopes) {
            String mailFrom = null;
            String auth = null;
            boolean tls = false;
            List<String> rcpt = new ArrayList<>();
            for (String line : Files.readAllLines(env)) {
                String value = line.substring(line.indexOf(": ") + 2);
                if (line.startsWith("mail_from: ")) {
                    mailFrom = value;
                } else if (line.startsWith("rcpt: ")) {
                    rcpt.add(value);
                } else if (line.startsWith("tls: ")) {
                    tls = value.equals("yes");
                } else if (line.startsWith("auth: ")) {
                    auth = value.equals("-") ? null : value;
                }
            }
            Path eml = env.resolveSibling(env.getFileName().toString().replace(".env", ".eml"));
            byte[] raw = Files.readAllBytes(eml);
            MimeMessage message;
            try (InputStream in = Files.newInputStream(eml)) {
                message = new MimeMessage(Session.getInstance(new Properties()), in);
            }
            out.add(new Received(mailFrom, rcpt, tls, auth, message, new String(raw, StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path script() {
        try {
            return Path.of(SmtpServer.class.getResource("/smtp_server.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A python3 that has aiosmtpd: Debian's (/usr/bin/python3) first, where python3-aiosmtpd installs it. */
    private static synchronized String python() throws InterruptedException {
        if (python != null) {
            return python;
        }
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import aiosmtpd").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    return python;
                }
            } catch (IOException e) {
                // not there: try the next
            }
        }
        return fail("no python3 with aiosmtpd: the email channel's tests need a real SMTP server; install it with: "
                + "apt-get install -y python3-aiosmtpd");
    }
}
