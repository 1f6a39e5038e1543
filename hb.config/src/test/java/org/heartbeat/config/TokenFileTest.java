package org.heartbeat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:15:30.250Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void aCreatedTokenIsFoundByItsSecretAndOnlyItsHashIsStored() throws IOException {
        TokenFile file = new TokenFile(dir.resolve("tokens"));
        TokenFile.Created made = file.create("alice", "nagios", CLOCK);

        assertThat(made.secret()).matches("hbt_[A-Za-z0-9_-]{43}");
        assertThat(made.token().id()).matches("[0-9a-f]{8}");
        assertThat(made.token().created()).isEqualTo(Instant.parse("2026-12-07T10:15:30Z"));
        assertThat(made.toString()).doesNotContain(made.secret());
        String stored = Files.readString(file.file(), StandardCharsets.UTF_8);
        assertThat(stored).doesNotContain(made.secret()).contains(TokenFile.sha256(made.secret()), "alice", "nagios");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file()))).isEqualTo("rw-------");

        assertThat(file.find(made.secret())).contains(made.token());
        assertThat(file.find(made.secret() + "x")).isEmpty();
        assertThat(file.find("not a token")).isEmpty();
        assertThat(file.list()).containsExactly(made.token());
    }

    @Test
    void aSecondReaderSeesCreationAndRevocationWithoutRestart() throws IOException {
        Path path = dir.resolve("tokens");
        TokenFile daemon = new TokenFile(path);
        TokenFile cli = new TokenFile(path);
        assertThat(daemon.find("hbt_nothing")).isEmpty();

        TokenFile.Created a = cli.create("alice", "", CLOCK);
        TokenFile.Created b = cli.create("bob", "ci", CLOCK);
        assertThat(daemon.find(a.secret())).contains(a.token());
        assertThat(daemon.find(b.secret())).contains(b.token());

        assertThat(cli.revoke(a.token().id())).contains(a.token());
        assertThat(daemon.find(a.secret())).isEmpty();
        assertThat(daemon.find(b.secret())).contains(b.token());
        assertThat(cli.revoke(a.token().id())).isEmpty();
        assertThat(cli.list()).extracting(TokenFile.Token::user).containsExactly("bob");
        assertThat(dir.toFile().list()).as("no temporary file left behind").containsExactlyInAnyOrder("tokens",
                "tokens.lock");
    }

    @Test
    void aMissingFileHoldsNoTokensAndADamagedLineIsNamedWithoutItsContent() throws IOException {
        Path path = dir.resolve("tokens");
        assertThat(new TokenFile(path).list()).isEmpty();
        Files.writeString(path, "# comment\nabc\talice\tyesterday\t" + "9".repeat(64) + "\n");
        assertThatThrownBy(() -> new TokenFile(path).list()).isInstanceOf(IOException.class)
                .hasMessageContaining("line 2 is not a token line").hasMessageNotContaining("9999");
    }

    @Test
    void labelsAreOneLineOfText() {
        TokenFile file = new TokenFile(dir.resolve("tokens"));
        assertThatThrownBy(() -> file.create("alice", "two\nlines", CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
        assertThatThrownBy(() -> file.create("alice", "x".repeat(101), CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCreationsAreAllKept() throws Exception {
        Path path = dir.resolve("tokens");
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.Queue<TokenFile.Created> made = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < 8; i++) {
            // separate instances, as separate hbd token commands would be
            Thread t = new Thread(() -> {
                try {
                    made.add(new TokenFile(path).create("alice", "", CLOCK));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(new TokenFile(path).list()).hasSize(8);
        TokenFile daemon = new TokenFile(path);
        for (TokenFile.Created c : made) {
            assertThat(daemon.find(c.secret())).contains(c.token());
        }
    }
}
