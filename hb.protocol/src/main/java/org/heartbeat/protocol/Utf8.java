package org.heartbeat.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: malformed input and unpaired surrogates are errors, never replaced. */
final class Utf8 {
    private Utf8() {
    }

    /** Decodes {@code length} bytes at absolute {@code offset}; null when they are not valid UTF-8. */
    static String decode(ByteBuffer buf, int offset, int length) {
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            if (buf.get(offset + i) < 0) {
                ascii = false;
                break;
            }
        }
        byte[] bytes = new byte[length];
        buf.get(offset, bytes);
        if (ascii) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Encodes strictly; a string with an unpaired surrogate is refused. */
    static byte[] encode(String s) {
        if (isAscii(s)) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        try {
            ByteBuffer out = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("string is not valid Unicode (unpaired surrogate)", e);
        }
    }

    static int length(String s) {
        if (isAscii(s)) {
            return s.length();
        }
        return encode(s).length;
    }

    /** The longest prefix of {@code s} whose UTF-8 form has at most {@code max} bytes, cut at a code point. */
    static String truncate(String s, int max) {
        if (s.length() <= max / 3 || length(s) <= max) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > max) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
