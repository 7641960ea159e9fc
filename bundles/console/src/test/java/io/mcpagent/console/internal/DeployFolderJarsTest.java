package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployFolderJarsTest {
    @TempDir
    Path root;

    /** Bundles installed from elsewhere than an upload, by "symbolic name version": their locations. */
    private final Map<String, String> installed = new HashMap<>();

    private static byte[] jar(String symbolicName, int padding) throws IOException {
        return jar(symbolicName, "1.2.3", padding);
    }

    private static byte[] jar(String symbolicName, String version, int padding) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
            if (version != null) {
                manifest.getMainAttributes().putValue("Bundle-Version", version);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.putNextEntry(new JarEntry("padding.bin"));
            out.write(new byte[padding]);
        }
        return bytes.toByteArray();
    }

    private DeployFolderJars folder(long maxBytes) throws IOException {
        return new DeployFolderJars(Files.createDirectories(root.resolve("deploy")), maxBytes,
                (symbolicName, version) -> Optional.ofNullable(installed.get(symbolicName + " " + version)));
    }

    private List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aBundleJarIsWrittenWholeUnderItsNameAndListedWithItsIdentity() throws Exception {
        DeployFolderJars folder = folder(1 << 20);

        DeployFolderJars.Deployment deployment = folder.deploy("C:\\fakepath\\my-plugin_1.0+b.jar",
                new ByteArrayInputStream(jar("com.example.plugin;singleton:=true", 10)));
        DeployFolderJars.DeployedJar jar = deployment.jar();

        assertEquals(Optional.empty(), deployment.replacedVersion());
        assertEquals("my-plugin_1.0+b.jar", jar.fileName());
        assertEquals("com.example.plugin", jar.symbolicName());
        assertEquals(List.of("my-plugin_1.0+b.jar"), filesIn(root.resolve("deploy")), "no partial file left behind");
        DeployFolderJars.DeployedJar listed = folder.list().get(0);
        assertEquals("com.example.plugin", listed.symbolicName());
        assertEquals("1.2.3", listed.version());
    }

    @Test
    void aPlainJarOrAnythingElseIsRefusedAndLeavesNothing() throws Exception {
        DeployFolderJars folder = folder(1 << 20);

        DeployFolderJars.Refused plain = assertThrows(DeployFolderJars.Refused.class,
                () -> folder.deploy("plain.jar", new ByteArrayInputStream(jar(null, 10))));
        DeployFolderJars.Refused text = assertThrows(DeployFolderJars.Refused.class,
                () -> folder.deploy("text.jar", new ByteArrayInputStream("hello".getBytes())));
        byte[] whole = jar("com.example.cut", 10);
        DeployFolderJars.Refused cut = assertThrows(DeployFolderJars.Refused.class,
                () -> folder.deploy("cut.jar", new ByteArrayInputStream(java.util.Arrays.copyOf(whole,
                        whole.length / 2))));
        DeployFolderJars.Refused empty = assertThrows(DeployFolderJars.Refused.class,
                () -> folder.deploy("empty.jar", new ByteArrayInputStream(new byte[0])));

        assertTrue(plain.getMessage().contains("no Bundle-SymbolicName"), plain.getMessage());
        // a file that cannot be read is said to be so, as the deploy monitor says (it read "not a jar with a manifest")
        assertTrue(text.getMessage().startsWith("'text.jar' cannot be read as a jar ("), text.getMessage());
        assertTrue(cut.getMessage().startsWith("'cut.jar' cannot be read as a jar (")
                && cut.getMessage().endsWith("): it is cut off or not a jar; upload the complete bundle jar"),
                cut.getMessage());
        assertTrue(empty.getMessage().startsWith("'empty.jar' cannot be read as a jar ("), empty.getMessage());
        assertEquals(List.of(), filesIn(root.resolve("deploy")));
    }

    @Test
    void aBundleInstalledFromThePlatformIsRefusedNamingWhereItCameFrom() throws Exception {
        DeployFolderJars folder = folder(1 << 20);
        installed.put("org.objectweb.asm 9.11.1", "file:system/asm-9.11.1.jar");

        DeployFolderJars.Refused refused = assertThrows(DeployFolderJars.Refused.class, () -> folder.deploy("asm.jar",
                new ByteArrayInputStream(jar("org.objectweb.asm", "9.11.1", 10))));

        assertEquals("'asm.jar' is bundle org.objectweb.asm 9.11.1, which is already installed from"
                + " file:system/asm-9.11.1.jar, outside deploy/, which cannot replace it: give this jar another"
                + " Bundle-Version", refused.getMessage());
        assertEquals(List.of(), filesIn(root.resolve("deploy")));
        folder.deploy("asm.jar", new ByteArrayInputStream(jar("org.objectweb.asm", "9.11.2", 10)));
        assertEquals(List.of("asm.jar"), filesIn(root.resolve("deploy")), "another version is a bundle of its own");
    }

    @Test
    void aBundleInstalledFromAnotherJarOfTheFolderIsRefusedButItsOwnJarMayBeReplaced() throws Exception {
        DeployFolderJars folder = folder(1 << 20);
        folder.deploy("a.jar", new ByteArrayInputStream(jar("com.example.plugin", 10)));
        installed.put("com.example.plugin 1.2.3", root.resolve("deploy").resolve("a.jar").toUri().toString());

        DeployFolderJars.Refused refused = assertThrows(DeployFolderJars.Refused.class,
                () -> folder.deploy("b.jar", new ByteArrayInputStream(jar("com.example.plugin", 20))));

        assertTrue(refused.getMessage().startsWith("'b.jar' is bundle com.example.plugin 1.2.3, which is already"
                + " installed from file:"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith(" (deploy/a.jar): undeploy that jar first, upload this one as a.jar"
                + " to replace it, or give this one another Bundle-Version"), refused.getMessage());
        assertEquals(List.of("a.jar"), filesIn(root.resolve("deploy")));
        byte[] newer = jar("com.example.plugin", "1.3.0", 30);
        assertEquals(Optional.of("1.2.3"), folder.deploy("a.jar", new ByteArrayInputStream(newer)).replacedVersion());
        assertArrayEquals(newer, Files.readAllBytes(root.resolve("deploy").resolve("a.jar")), "a.jar is replaced");
    }

    /**
     * An upload under the name of a jar that holds another bundle does not replace it: its bundle would be updated into
     * the upload's and its plugins would be gone without a word. A file of that name that is no bundle is replaced.
     */
    @Test
    void anUploadUnderTheNameOfAJarHoldingAnotherBundleIsRefused() throws Exception {
        DeployFolderJars folder = folder(1 << 20);
        byte[] echo = jar("com.example.echo", 10);
        folder.deploy("plugin.jar", new ByteArrayInputStream(echo));

        DeployFolderJars.Refused refused = assertThrows(DeployFolderJars.Refused.class,
                () -> folder.deploy("plugin.jar", new ByteArrayInputStream(jar("com.example.router", "2.0.0", 10))));

        assertEquals("deploy/plugin.jar holds bundle com.example.echo 1.2.3, not this upload's com.example.router"
                + " 2.0.0: upload it under another name, or undeploy plugin.jar first to replace that bundle",
                refused.getMessage());
        assertArrayEquals(echo, Files.readAllBytes(root.resolve("deploy").resolve("plugin.jar")));
        assertEquals(List.of("plugin.jar"), filesIn(root.resolve("deploy")), "no partial file left behind");

        // a jar without Bundle-Version holds version 0.0.0, as the framework reads it (it read "null")
        folder.deploy("plain.jar", new ByteArrayInputStream(jar("com.example.plain", null, 10)));
        assertEquals("deploy/plain.jar holds bundle com.example.plain 0.0.0, not this upload's com.example.echo 1.2.3:"
                + " upload it under another name, or undeploy plain.jar first to replace that bundle",
                assertThrows(DeployFolderJars.Refused.class, () -> folder.deploy("plain.jar",
                        new ByteArrayInputStream(echo))).getMessage());

        Files.writeString(root.resolve("deploy").resolve("broken.jar"), "not a jar");
        assertEquals(Optional.empty(), folder.deploy("broken.jar", new ByteArrayInputStream(echo)).replacedVersion());
    }

    @Test
    void aDeployFolderReachedThroughALinkKnowsItsJarsByTheRealLocationsFileInstallInstallsThemFrom() throws Exception {
        Path real = Files.createDirectories(root.resolve("real-deploy"));
        Path link = Files.createSymbolicLink(root.resolve("deploy-link"), real);
        DeployFolderJars folder = new DeployFolderJars(link, 1 << 20,
                (symbolicName, version) -> Optional.ofNullable(installed.get(symbolicName + " " + version)));
        folder.deploy("a.jar", new ByteArrayInputStream(jar("com.example.plugin", 10)));
        // FileInstall watches the folder by its real path, so the bundle's location names the real folder
        String location = real.resolve("a.jar").toUri().toString();
        installed.put("com.example.plugin 1.2.3", location);

        assertEquals(Optional.of("a.jar"), folder.fileOf(location), "the Plugins page shows (deploy/a.jar)");
        assertEquals(Optional.of("a.jar"), folder.fileOf(link.resolve("a.jar").toUri().toString()));
        byte[] newer = jar("com.example.plugin", 30);
        folder.deploy("a.jar", new ByteArrayInputStream(newer));
        assertArrayEquals(newer, Files.readAllBytes(real.resolve("a.jar")), "its own jar may be replaced");
        folder.undeploy("a.jar");
        assertEquals(List.of(), filesIn(real));
    }

    @Test
    void aBundleVersionThatIsNotAnOsgiVersionIsRefused() throws Exception {
        DeployFolderJars folder = folder(1 << 20);

        DeployFolderJars.Refused refused = assertThrows(DeployFolderJars.Refused.class,
                () -> folder.deploy("x.jar", new ByteArrayInputStream(jar("x.y", "1.0-SNAPSHOT", 1))));

        assertEquals("'x.jar' has Bundle-Version '1.0-SNAPSHOT', which is not an OSGi version"
                + " (major.minor.micro.qualifier, e.g. 1.2.0)", refused.getMessage());
        assertEquals(List.of(), filesIn(root.resolve("deploy")));
    }

    @Test
    void anUploadOverTheLimitIsRefusedWhileItIsRead() throws Exception {
        DeployFolderJars folder = folder(1000);

        DeployFolderJars.Refused refused = assertThrows(DeployFolderJars.Refused.class,
                () -> folder.deploy("big.jar", new ByteArrayInputStream(new byte[5000])));

        assertTrue(refused.getMessage().contains("larger than the limit of 1000 bytes"), refused.getMessage());
        assertEquals(List.of(), filesIn(root.resolve("deploy")));
    }

    @Test
    void namesThatAreNotPlainJarNamesAreRefused() {
        for (String name : new String[] {"..", "../x.jar/..", ".hidden.jar", "x.txt", "x.jar.exe", "a b.jar",
                "x;rm.jar", "", "\u00e9.jar", "a".repeat(201) + ".jar"}) {
            assertThrows(DeployFolderJars.Refused.class, () -> DeployFolderJars.plainName(name), name);
        }
        assertThrows(DeployFolderJars.Refused.class, () -> DeployFolderJars.plainName(null));
    }

    @Test
    void aSubmittedPathCountsOnlyByItsLastSegment() throws Exception {
        assertEquals("evil.jar", DeployFolderJars.plainName("../../etc/evil.jar"));
        DeployFolderJars folder = folder(1 << 20);
        folder.deploy("../../outside.jar", new ByteArrayInputStream(jar("x.y", 1)));
        assertTrue(Files.exists(root.resolve("deploy").resolve("outside.jar")));
        assertFalse(Files.exists(root.resolve("outside.jar")));
    }

    @Test
    void undeployDeletesAJarOfTheFolderAndNothingElse() throws Exception {
        DeployFolderJars folder = folder(1 << 20);
        folder.deploy("a.jar", new ByteArrayInputStream(jar("a", 1)));
        Files.write(root.resolve("precious.jar"), new byte[] {1});

        folder.undeploy("a.jar");

        assertEquals(List.of(), filesIn(root.resolve("deploy")));
        assertThrows(DeployFolderJars.Refused.class, () -> folder.undeploy("../precious.jar"));
        assertThrows(DeployFolderJars.Refused.class, () -> folder.undeploy("a.jar"), "gone already");
        assertThrows(DeployFolderJars.Refused.class, () -> folder.undeploy(null));
        assertTrue(Files.exists(root.resolve("precious.jar")));
    }

    /**
     * FileInstall installs every *.jar of the folder, also one copied in by hand under a name an upload may not take
     * (a browser's download "plugin (1).jar"): the page lists it and undeploys it, or an admin could neither see nor
     * remove the bundle the Plugins table says comes from it.
     */
    @Test
    void aJarCopiedInUnderAnyNameIsListedAndCanBeUndeployed() throws Exception {
        DeployFolderJars folder = folder(1 << 20);
        Path deploy = root.resolve("deploy");
        Files.write(deploy.resolve("echo plugin (1).jar"), jar("echo", 1));
        Files.write(deploy.resolve(".hidden.jar"), jar("hidden", 1));

        assertEquals(List.of(".hidden.jar", "echo plugin (1).jar"),
                folder.list().stream().map(DeployFolderJars.DeployedJar::fileName).toList());
        assertEquals("echo", folder.list().get(1).symbolicName());

        folder.undeploy("echo plugin (1).jar");
        folder.undeploy(".hidden.jar");
        assertEquals(List.of(), filesIn(deploy));
    }

    @Test
    void aBundleInstalledFromAJarUnderAnOddNameIsNotToBeReplacedByAnUploadOfThatName() throws Exception {
        DeployFolderJars folder = folder(1 << 20);
        Path odd = root.resolve("deploy").resolve("echo plugin (1).jar");
        Files.write(odd, jar("echo", 1));
        installed.put("echo 1.2.3", odd.toUri().toString());

        DeployFolderJars.Refused refused = assertThrows(DeployFolderJars.Refused.class,
                () -> folder.deploy("echo.jar", new ByteArrayInputStream(jar("echo", 2))));

        assertTrue(refused.getMessage().endsWith(" (deploy/echo plugin (1).jar): undeploy that jar first, or give"
                + " this one another Bundle-Version"), refused.getMessage());
    }

    @Test
    void undeployTakesOnlyTheNameOfAJarInTheFolder() throws Exception {
        DeployFolderJars folder = folder(1 << 20);
        Path deploy = root.resolve("deploy");
        Files.write(root.resolve("precious.jar"), new byte[] {1});
        Files.createDirectories(deploy.resolve("sub"));
        Files.write(deploy.resolve("sub").resolve("inner.jar"), new byte[] {1});
        Files.createDirectories(deploy.resolve("dir.jar"));
        Files.write(deploy.resolve("notes.txt"), new byte[] {1});

        for (String name : new String[] {"../precious.jar", "sub/../../precious.jar", "sub/inner.jar",
                "sub/../notes.txt", "notes.txt", "dir.jar", "..", ".", "", "a\u0000.jar", root.resolve("precious.jar")
                .toString()}) {
            assertThrows(DeployFolderJars.Refused.class, () -> folder.undeploy(name), name);
        }
        DeployFolderJars.Refused unnamed = assertThrows(DeployFolderJars.Refused.class, () -> folder.undeploy(null));
        assertEquals("no jar was named: give the name of a jar in deploy/", unnamed.getMessage());
        assertTrue(Files.exists(root.resolve("precious.jar")));
        assertTrue(Files.exists(deploy.resolve("sub").resolve("inner.jar")));
        assertTrue(Files.isDirectory(deploy.resolve("dir.jar")));
        assertTrue(Files.exists(deploy.resolve("notes.txt")));
    }

    @Test
    void aBundleLocationInTheFolderNamesItsFile() throws Exception {
        DeployFolderJars folder = folder(1);
        assertEquals("x.jar", folder.fileOf(root.resolve("deploy").resolve("x.jar").toUri().toString()).orElseThrow());
        assertTrue(folder.fileOf(root.resolve("x.jar").toUri().toString()).isEmpty());
        assertTrue(folder.fileOf("reference:file:system/x.jar").isEmpty());
        assertTrue(folder.fileOf(null).isEmpty());
    }
}
