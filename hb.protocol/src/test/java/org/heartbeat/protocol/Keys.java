package org.heartbeat.protocol;

/** Fixed host keys for tests. */
final class Keys {
    private Keys() {
    }

    /** The key of the bytes {@code first, first + 1, ..., first + 31}; {@code counting(0)} is the vectors' first key. */
    static HostKey counting(int first) {
        byte[] bytes = new byte[Protocol.KEY_LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return HostKey.of(bytes);
    }
}
