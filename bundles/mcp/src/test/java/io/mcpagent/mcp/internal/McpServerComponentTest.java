package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class McpServerComponentTest {

    @Test
    void declaredCapabilitiesAreSpelledAsTheVocabularyAndListedOnce() {
        assertEquals("file_read,file_write,web_search", McpServerComponent.capabilities(
                new String[] {" File_Read ", "file-write", "web search", "", "file_read"}));
        assertEquals("", McpServerComponent.capabilities(new String[0]));
    }
}
