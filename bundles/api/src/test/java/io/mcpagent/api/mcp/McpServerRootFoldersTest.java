package io.mcpagent.api.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class McpServerRootFoldersTest {

    @Test
    void aFileRootIsItsFolderAndAnyOtherRootIsShownAsWritten() {
        McpServer server = mock(McpServer.class, CALLS_REAL_METHODS);
        when(server.roots()).thenReturn(List.of(URI.create("file:///srv/notes"), URI.create("file:///srv/my%20notes"),
                URI.create("urn:x:y"), URI.create("file://host/share")));

        assertEquals(List.of("/srv/notes", "/srv/my notes", "urn:x:y", "file://host/share"), server.rootFolders());
    }

    @Test
    void aServerGivenNoRootsHasNoFolders() {
        assertEquals(List.of(), mock(McpServer.class, CALLS_REAL_METHODS).rootFolders());
    }
}
