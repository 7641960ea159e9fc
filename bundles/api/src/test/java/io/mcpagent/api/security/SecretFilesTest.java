package io.mcpagent.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    @Test
    void aFileThatIsThereIsNamedAndAnythingElseIsNot(@TempDir Path folder) throws IOException {
        Path key = Files.writeString(folder.resolve("key.txt"), "sk-secret");

        assertEquals(Optional.of(key), SecretFiles.existing(key.toString()));
        assertEquals(Optional.of(key), SecretFiles.existing(" " + key + "\n"), "written with spaces around it");
        assertEquals(Optional.empty(), SecretFiles.existing(folder.resolve("missing.txt").toString()));
        assertEquals(Optional.empty(), SecretFiles.existing("sk-proj-0123456789abcdef"), "a key, not a path");
        assertEquals(Optional.empty(), SecretFiles.existing("nul\u0000in it"), "no path can be written so");
        assertEquals(Optional.empty(), SecretFiles.existing(" "));
        assertEquals(Optional.empty(), SecretFiles.existing(null));
    }

    @Test
    void aValueNamingNoFileIsDescribedWithoutIt() {
        assertEquals("apiKeyFile names no file there is (its value is not shown, as it may be the key itself)",
                SecretFiles.namesNoFile("apiKeyFile", "the key"));
    }
}
