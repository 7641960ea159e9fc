package io.mcpagent.provider.support;

/** The mime type of media bytes sent without one, told by the signatures that are unambiguous. */
public final class MediaSignatures {
    private MediaSignatures() {
    }

    /**
     * {@code image/png}, {@code image/jpeg}, {@code image/gif}, {@code image/webp} or {@code application/pdf} when the
     * bytes start with that format's signature; null otherwise (what that means is the provider's to say).
     */
    public static String typeOf(byte[] bytes) {
        if (starts(bytes, 0x89, 'P', 'N', 'G') && bytes.length >= 8) {
            return "image/png";
        }
        if (starts(bytes, 0xff, 0xd8, 0xff)) {
            return "image/jpeg";
        }
        if (starts(bytes, 'G', 'I', 'F', '8') && bytes.length >= 6) {
            return "image/gif";
        }
        if (starts(bytes, 'R', 'I', 'F', 'F') && bytes.length >= 12 && bytes[8] == 'W' && bytes[9] == 'E'
                && bytes[10] == 'B' && bytes[11] == 'P') {
            return "image/webp";
        }
        if (starts(bytes, '%', 'P', 'D', 'F') && bytes.length >= 5) {
            return "application/pdf";
        }
        return null;
    }

    private static boolean starts(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
