package io.mcpagent.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin key {@code bin/mcp-agent} hands over on a descriptor (here a file stands in for its pipe). */
class HandedOverAdminKeyTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(Launcher.ADMIN_KEY_HANDOVER);
        System.clearProperty(Launcher.HANDED_OVER_ADMIN_KEY);
    }

    @Test
    void theKeyIsReadIntoMemoryWithoutTheHereStringsNewline() throws Exception {
        Path handover = Files.writeString(dir.resolve("fd"), "an-admin-key-handed-over-by-the-script\n");
        System.setProperty(Launcher.ADMIN_KEY_HANDOVER, handover.toString());

        Launcher.takeHandedOverAdminKey();

        assertEquals("an-admin-key-handed-over-by-the-script", System.getProperty(Launcher.HANDED_OVER_ADMIN_KEY));
        assertNull(System.getProperty(Launcher.ADMIN_KEY_HANDOVER), "where it came from is of no use to anyone now");
    }

    @Test
    void withoutAHandoverOrWithOneThatCannotBeReadThereIsNoKey() {
        Launcher.takeHandedOverAdminKey();
        assertNull(System.getProperty(Launcher.HANDED_OVER_ADMIN_KEY));

        System.setProperty(Launcher.ADMIN_KEY_HANDOVER, dir.resolve("closed").toString());
        Launcher.takeHandedOverAdminKey();
        assertNull(System.getProperty(Launcher.HANDED_OVER_ADMIN_KEY));
    }
}
