package org.heartbeat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Werkzeug's password hash format, both ways. The expected hashes were computed with Python's hashlib, as Werkzeug
 * does ({@code hashlib.pbkdf2_hmac(name, password.encode(), salt.encode(), iterations).hex()}), for example:
 * {@code python3 -c 'import hashlib; print(hashlib.pbkdf2_hmac("sha256", b"correct horse", b"abcdefgh12345678",
 * 1000).hex())'}; few iterations keep the tests fast.
 */
class PasswordHashTest {
    /** Made by Python (hashlib, Werkzeug's rules), verified here. */
    private static final String PYTHON_SHA256 = "pbkdf2:sha256:1000$abcdefgh12345678$"
            + "ff230943be408e59715ba0b36f988109dfd4ca63f15795889319022646a88364";
    /** A non-ASCII password: Werkzeug hashes its UTF-8 bytes. */
    private static final String PYTHON_UNICODE = "pbkdf2:sha256:2$Zq9xY2WvU1tS0rQp$"
            + "4fc744d27e3a0632d9d6407a7212b8b440d82f2cc7e316352eaaa0d3196d77fb";
    private static final String PYTHON_SHA512 = "pbkdf2:sha512:1000$NaCl$"
            + "da927616023af3b9303f5faa04100e228eb1ef66b9bafe0529180e6507f6071e2aa247ade5fe59da0df508ea94cb8df5"
            + "3215beaa1172f9f994942df199fc30ac";
    /**
     * Made here by {@code PasswordHash.create("s3cret ✓", 1000, "Ws0qT1Hk9xLbRz2A")} and checked with Python:
     * {@code werkzeug.security.check_password_hash(h, "s3cret ✓")}, that is
     * {@code hmac.compare_digest(hashlib.pbkdf2_hmac("sha256", "s3cret ✓".encode(), b"Ws0qT1Hk9xLbRz2A", 1000).hex(),
     * h.split("$")[2])}, answered True.
     */
    private static final String OURS_CHECKED_BY_PYTHON = "pbkdf2:sha256:1000$Ws0qT1Hk9xLbRz2A$"
            + "7dd41a27197a0a020512dfbece183465e8ac6a8e447241c2f11b647948626219";

    @Test
    void hashesMadeByWerkzeugVerify() {
        assertThat(PasswordHash.parse(PYTHON_SHA256).verify("correct horse")).isTrue();
        assertThat(PasswordHash.parse(PYTHON_SHA256).verify("correct horsE")).isFalse();
        assertThat(PasswordHash.parse(PYTHON_SHA256).verify("")).isFalse();
        assertThat(PasswordHash.parse(PYTHON_UNICODE).verify("pässwörd ✓")).isTrue();
        assertThat(PasswordHash.parse(PYTHON_UNICODE).verify("passwort ✓")).isFalse();
        assertThat(PasswordHash.parse(PYTHON_SHA512).verify("secret")).isTrue();
    }

    @Test
    void hashesMadeHereVerifyWithWerkzeug() {
        PasswordHash ours = PasswordHash.create("s3cret ✓".toCharArray(), 1000, "Ws0qT1Hk9xLbRz2A");
        assertThat(ours.text()).isEqualTo(OURS_CHECKED_BY_PYTHON);
        assertThat(PasswordHash.parse(ours.text()).verify("s3cret ✓")).isTrue();
        assertThat(PasswordHash.create("correct horse".toCharArray(), 1000, "abcdefgh12345678").text())
                .isEqualTo(PYTHON_SHA256);
    }

    @Test
    void newHashesUse600000IterationsAndARandomSaltOfLettersAndDigits() {
        PasswordHash a = PasswordHash.create("hunter2".toCharArray());
        PasswordHash b = PasswordHash.create("hunter2".toCharArray());
        assertThat(a.text()).matches("pbkdf2:sha256:600000\\$[A-Za-z0-9]{16}\\$[0-9a-f]{64}");
        assertThat(a.iterations()).isEqualTo(600_000);
        assertThat(a.text()).as("a new salt each time").isNotEqualTo(b.text());
        assertThat(PasswordHash.parse(a.text()).verify("hunter2")).isTrue();
    }

    @Test
    void problemsAreNamedWithoutQuotingTheHash() {
        assertThat(PasswordHash.problem(PYTHON_SHA256)).isNull();
        String scrypt = "scrypt:32768:8:1$q9X0kd0ySB5OUnw1$0f6d1c6a55d8e8f9b5c3a2c1d4e7f8a9";
        assertThat(PasswordHash.problem(scrypt)).contains("scrypt", "hbd passwd NAME").doesNotContain("q9X0kd0y");
        assertThat(PasswordHash.problem("hunter2")).contains("not a password hash", "hbd passwd NAME")
                .doesNotContain("hunter2");
        assertThat(PasswordHash.problem("pbkdf2:sha256$abc$" + "0".repeat(64))).contains("iterations is missing");
        assertThat(PasswordHash.problem("pbkdf2:md5:1000$abc$" + "0".repeat(32))).contains("unknown hash function");
        assertThat(PasswordHash.problem("pbkdf2:sha256:1000$abc$" + "0".repeat(63))).contains("64 lower-case hex");
        assertThat(PasswordHash.problem("pbkdf2:sha256:1000$abc$" + "A".repeat(64))).contains("64 lower-case hex");
        assertThat(PasswordHash.problem("pbkdf2:sha256:0$abc$" + "0".repeat(64))).contains("iterations must be");
        assertThat(PasswordHash.problem("pbkdf2:sha256:1000$$" + "0".repeat(64))).contains("salt");
        assertThat(PasswordHash.problem("bcrypt$x$y")).contains("unknown hash method");
        assertThat(PasswordHash.problem("")).contains("missing");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2:sha256:1000$secretsalt$abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secretsalt");
    }

    @Test
    void toStringKeepsSaltAndHashOut() {
        PasswordHash h = PasswordHash.parse(PYTHON_SHA256);
        assertThat(h.toString()).isEqualTo("PasswordHash[pbkdf2:sha256:1000]");
    }
}
