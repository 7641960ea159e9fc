package io.mcpagent.history.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.security.SecretMasker;
import io.mcpagent.api.security.Secrets;

class TextTest {

    @Test
    void shortTextIsKept() {
        String text = "x".repeat(50);
        assertSame(text, Text.cap(text, 50));
        assertNull(Text.cap(null, 50));
    }

    @Test
    void longTextIsCutToTheLimitWithAMarker() {
        String capped = Text.cap("abcdefghij".repeat(10), 40);
        assertEquals(40, capped.length());
        assertEquals("abcdefghijabcdefghijabcdefg" + Text.TRUNCATED, capped);
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String emoji = "\uD83D\uDE00";
        String text = "a".repeat(26) + emoji + "b".repeat(40);
        String capped = Text.cap(text, 40);
        assertFalse(Character.isHighSurrogate(capped.charAt(capped.length() - Text.TRUNCATED.length() - 1)));
        assertTrue(capped.length() <= 40);
    }

    @Test
    void safeTextIsRedactedBeforeItIsCut() {
        // cut first, the key would lose its tail and, too short to recognise, keep its head
        String text = "x".repeat(Text.MAX_LONG - 30) + " sk-ant-api03-" + "k".repeat(40);
        String safe = new Text(SecretMasker.orPatterns(null)).safe(text);
        assertTrue(safe.endsWith(" " + Secrets.MASK), safe.substring(safe.length() - 40));
        assertFalse(safe.contains("sk-ant"));
    }
}
