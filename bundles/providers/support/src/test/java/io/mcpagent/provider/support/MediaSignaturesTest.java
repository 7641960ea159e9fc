package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MediaSignaturesTest {
    @Test
    void namesEachFormatByItsSignature() {
        assertEquals("image/png", MediaSignatures.typeOf(bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)));
        assertEquals("image/jpeg", MediaSignatures.typeOf(bytes(0xff, 0xd8, 0xff, 0xe0)));
        assertEquals("image/gif", MediaSignatures.typeOf(ascii("GIF89a")));
        assertEquals("image/webp", MediaSignatures.typeOf(ascii("RIFF\0\0\0\0WEBPVP8 ")));
        assertEquals("application/pdf", MediaSignatures.typeOf(ascii("%PDF-1.7")));
    }

    @Test
    void anythingElseOrTooShortIsUnknown() {
        assertNull(MediaSignatures.typeOf(ascii("plain text")));
        assertNull(MediaSignatures.typeOf(new byte[0]));
        assertNull(MediaSignatures.typeOf(bytes(0x89, 'P', 'N', 'G')), "a PNG signature is eight bytes");
        assertNull(MediaSignatures.typeOf(ascii("RIFF\0\0\0\0WAVE")), "a RIFF file that is no WebP");
        assertNull(MediaSignatures.typeOf(ascii("%PDF")), "a PDF header has a version");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
