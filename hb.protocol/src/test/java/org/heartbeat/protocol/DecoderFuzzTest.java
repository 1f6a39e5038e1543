package org.heartbeat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.heartbeat.protocol.MalformedDatagramException.Reason;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the decoder. This is <em>not</em> coverage-guided fuzzing: every mutant is derived at
 * random from a valid vector of docs/protocol-vectors.txt by bit flips, byte changes, truncation, extension,
 * insertion, deletion, duplication, splices with other vectors and wholly random bytes. The random source
 * is seeded per vector, so every run checks the same mutants and a failure can be reproduced.
 *
 * <p>For every mutant: {@link Datagrams#decode} (and {@link Values#decode} of a complete plugin sample)
 * either returns or throws {@link MalformedDatagramException}, never anything else; whatever it accepts
 * encodes back to the same bytes (the decoder accepts only the canonical form); and a mutant of a signed
 * vector never verifies with the vector's key unless it equals the original.
 */
class DecoderFuzzTest {
    private static final int MUTANTS_PER_VECTOR = 10_000;
    private static final long SEED = 0x4842_0001L;
    private static final HostKey ANY_KEY = Keys.counting(100);
    private static final int[] INTERESTING = {0, 1, 2, 0x1f, 0x20, 0x2f, 0x40, 0x41, 0x7f, 0x80, 0xc0, 0xed, 0xfe,
            0xff, 'F', 'T', 'i', 'd', 's', 'l', 'm'};

    @Test
    void mutantsOfEveryValidVectorAreDecodedOrRefusedButNeverCrashTheDecoder() {
        List<Vectors> all = Vectors.all();
        List<byte[]> donors = all.stream().map(Vectors::bytes).toList();
        Outcomes outcomes = new Outcomes();

        for (Vectors vector : all.stream().filter(Vectors::valid).toList()) {
            Mutator mutator = new Mutator(new Random(SEED ^ vector.name().hashCode()), donors);
            byte[] original = vector.bytes();
            for (int i = 0; i < MUTANTS_PER_VECTOR; i++) {
                StringBuilder how = new StringBuilder();
                byte[] mutant = mutator.mutate(original, how);
                check(vector, original, mutant, how.toString(), outcomes);
            }
        }

        assertThat(outcomes.failures).as("mutants the codec mishandled").isEmpty();
        assertThat(outcomes.total).isGreaterThanOrEqualTo(200_000);
        assertThat(outcomes.signedChecked).as("mutants of signed vectors checked against the key")
                .isGreaterThan(30_000);
        assertThat(outcomes.accepted).as("mutants that still decode").isGreaterThan(5_000);
        assertThat(outcomes.refused).as("every refusal reason is reached").containsKeys(Reason.values());
    }

    private static void check(Vectors vector, byte[] original, byte[] mutant, String how, Outcomes outcomes) {
        outcomes.total++;
        Mutant id = new Mutant(vector.name(), how, mutant);
        try {
            Message message = Datagrams.decode(ByteBuffer.wrap(mutant));
            if (message instanceof PluginData pd && pd.complete()) {
                Map<String, Object> tree = Values.decode(pd.fragment());
                if (!Arrays.equals(Values.encode(tree), pd.fragment())) {
                    outcomes.fail(id, "value tree does not encode back to its bytes");
                }
            }
            if (!encodesBackTo(message, mutant)) {
                outcomes.fail(id, "decoded " + message + " does not encode back to the same bytes");
            }
            outcomes.accepted++;
        } catch (MalformedDatagramException e) {
            outcomes.refused.merge(e.reason(), 1, Integer::sum);
        } catch (RuntimeException | Error e) {
            outcomes.fail(id, e.toString());
        }

        HostKey key = vector.key();
        if (key != null) {
            outcomes.signedChecked++;
            try {
                if (key.verify(ByteBuffer.wrap(mutant)) != Arrays.equals(mutant, original)) {
                    outcomes.fail(id, "MAC verification disagrees with the mutant being the original");
                }
            } catch (RuntimeException | Error e) {
                outcomes.fail(id, "verify threw " + e);
            }
        }
    }

    /** Whether encoding the message again gives the mutant's bytes, apart from the MAC itself. */
    private static boolean encodesBackTo(Message message, byte[] mutant) {
        boolean signed = Datagrams.signed(ByteBuffer.wrap(mutant));
        HostKey key = signed ? ANY_KEY : null;
        byte[] again = message instanceof Ack ack ? Datagrams.encode(ack, key)
                : Datagrams.encode((ClientMessage) message, key);
        int body = mutant.length - (signed ? Protocol.MAC_LENGTH : 0);
        return again.length == mutant.length && Arrays.equals(again, 0, body, mutant, 0, body);
    }

    /** A mutant and how it was made, for the failure report. */
    private record Mutant(String vector, String how, byte[] bytes) {
        @Override
        public String toString() {
            return vector + " " + how + " " + HexFormat.of().formatHex(bytes);
        }
    }

    /** What the mutants did. */
    private static final class Outcomes {
        final List<String> failures = new ArrayList<>();
        final Map<Reason, Integer> refused = new EnumMap<>(Reason.class);
        int total;
        int accepted;
        int signedChecked;

        void fail(Mutant mutant, String problem) {
            if (failures.size() < 20) {
                failures.add(problem + ": " + mutant);
            }
        }
    }

    /** Derives mutants from a datagram; each gets one to three mutations. */
    private static final class Mutator {
        private final Random random;
        private final List<byte[]> donors;

        Mutator(Random random, List<byte[]> donors) {
            this.random = random;
            this.donors = donors;
        }

        byte[] mutate(byte[] original, StringBuilder how) {
            byte[] b = original;
            int rounds = 1 + (random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0);
            for (int r = 0; r < rounds; r++) {
                b = mutateOnce(b, how);
            }
            return b;
        }

        private byte[] mutateOnce(byte[] in, StringBuilder how) {
            byte[] b = in.clone();
            int op = random.nextInt(11);
            switch (op) {
                case 0 -> {
                    how.append("flip;");
                    for (int n = 1 + random.nextInt(4); n > 0 && b.length > 0; n--) {
                        int bit = random.nextInt(b.length * 8);
                        b[bit / 8] ^= (byte) (1 << (bit % 8));
                    }
                }
                case 1 -> {
                    how.append("set;");
                    for (int n = 1 + random.nextInt(3); n > 0 && b.length > 0; n--) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> {
                    how.append("interesting;");
                    if (b.length > 0) {
                        int at = random.nextInt(random.nextBoolean() ? Math.min(b.length, 32) : b.length);
                        b[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                    }
                }
                case 3 -> {
                    how.append("interesting16;");
                    if (b.length > 1) {
                        int at = random.nextInt(b.length - 1);
                        int v = random.nextBoolean() ? random.nextInt(3) : 0xffff - random.nextInt(3);
                        b[at] = (byte) (v >>> 8);
                        b[at + 1] = (byte) v;
                    }
                }
                case 4 -> {
                    how.append("truncate;");
                    b = Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
                }
                case 5 -> {
                    how.append("extend;");
                    int to = random.nextInt(8) == 0 ? Protocol.MAX_DATAGRAM - 2 + random.nextInt(6)
                            : b.length + 1 + random.nextInt(40);
                    byte[] longer = Arrays.copyOf(b, Math.max(to, b.length));
                    for (int i = b.length; i < longer.length; i++) {
                        longer[i] = (byte) random.nextInt(256);
                    }
                    b = longer;
                }
                case 6 -> {
                    how.append("splice;");
                    byte[] donor = donors.get(random.nextInt(donors.size()));
                    int cut = random.nextInt(b.length + 1);
                    int from = random.nextInt(donor.length + 1);
                    byte[] spliced = Arrays.copyOf(b, cut + donor.length - from);
                    System.arraycopy(donor, from, spliced, cut, donor.length - from);
                    b = spliced;
                }
                case 7 -> {
                    how.append("insert;");
                    int at = random.nextInt(b.length + 1);
                    byte[] extra = new byte[1 + random.nextInt(8)];
                    random.nextBytes(extra);
                    b = join(Arrays.copyOf(b, at), extra, Arrays.copyOfRange(b, at, b.length));
                }
                case 8 -> {
                    how.append("delete;");
                    if (b.length > 0) {
                        int at = random.nextInt(b.length);
                        int n = Math.min(1 + random.nextInt(8), b.length - at);
                        b = join(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + n, b.length));
                    }
                }
                case 9 -> {
                    how.append("duplicate;");
                    if (b.length > 0) {
                        int from = random.nextInt(b.length);
                        int n = 1 + random.nextInt(Math.min(16, b.length - from));
                        int at = random.nextInt(b.length + 1);
                        b = join(Arrays.copyOf(b, at), Arrays.copyOfRange(b, from, from + n),
                                Arrays.copyOfRange(b, at, b.length));
                    }
                }
                default -> {
                    how.append("random;");
                    b = new byte[random.nextInt(random.nextBoolean() ? 64 : Protocol.MAX_DATAGRAM + 8)];
                    random.nextBytes(b);
                    if (b.length >= 5 && random.nextBoolean()) {
                        b[0] = 'H';
                        b[1] = 'B';
                        b[2] = 1;
                        b[3] = (byte) (1 + random.nextInt(5));
                        b[4] = (byte) random.nextInt(2);
                    }
                }
            }
            return b;
        }

        private static byte[] join(byte[]... parts) {
            int length = 0;
            for (byte[] p : parts) {
                length += p.length;
            }
            byte[] out = new byte[length];
            int at = 0;
            for (byte[] p : parts) {
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
            }
            return out;
        }
    }
}
