package org.heartbeat.protocol;

final class Checks {
    private Checks() {
    }

    static void u32(String field, long value) {
        if (value < 0 || value > Protocol.MAX_U32) {
            throw new IllegalArgumentException(field + " " + value + " does not fit an unsigned 32-bit field");
        }
    }
}
