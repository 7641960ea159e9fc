package io.mcpagent.autonomous.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderCheckTest {
    private static final Path HOME = Path.of("/home/operator");

    @TempDir
    Path temp;

    @Test
    void findsTheAbsoluteAndHomePathsATaskNamesButNotThoseOfUrlsOrSlashesBetweenWords() {
        assertEquals(List.of("/tmp/notes", "/tmp/notes/summary.md"), FolderCheck.pathsNamed(
                "read the files in /tmp/notes and write a summary to /tmp/notes/summary.md."));
        assertEquals(List.of("~/reports/q3.md", "/etc/hosts", "/srv/x"), FolderCheck.pathsNamed(
                "compare ~/reports/q3.md (see /etc/hosts) with '/srv/x': done?"));
        assertEquals(List.of(), FolderCheck.pathsNamed("fetch https://x.io/a/b and file:///srv/data, read and/or"
                + " write 1/2 of it, a ratio of 3 / 4, C:\\data\\x or ~/ alone"));
        assertEquals(List.of("/tmp/a"), FolderCheck.pathsNamed("/tmp/a then /tmp/a again"), "each path once");
        assertEquals(List.of("/tmp/my notes", "~/Q3 report.md", "/srv/x"), FolderCheck.pathsNamed(
                "summarise \"/tmp/my notes\" into `~/Q3 report.md` and /srv/x"), "a quoted path is taken whole");
        // a walkthrough's task with markup read "the task names /b, /i ... add \"/b\" as a root"
        assertEquals(List.of("/srv/page.html"), FolderCheck.pathsNamed("make <b>bold</b> and <i>italic</i> in"
                + " /srv/page.html, then strip <script>alert(1)</script>"));
    }

    @Test
    void warnsOfThePathsOutsideEveryRootAndSuggestsTheFolderOfTheFirst() {
        Map<String, List<URI>> roots = new TreeMap<>(Map.of("files", List.of(URI.create("file:///srv/a")),
                "archive", List.of(URI.create("file:///srv/b"), URI.create("file:///srv/c"))));

        Optional<String> warning = FolderCheck.warning("copy ~/in/x.csv to /srv/b/x.csv and /srv/d/y.csv", roots,
                Map.of("files", "etc/io.mcpagent.mcp.server~files.cfg.json")::get, HOME);

        assertEquals(Optional.of("the task names ~/in/x.csv, /srv/d/y.csv, outside the roots of the MCP servers"
                + " archive (/srv/b, /srv/c), files (/srv/a) the agents read and write files with: their file tools"
                + " will refuse those paths; give the server the folder as a root (\"roots\": [\"/home/operator/in\"]"
                + " in their configurations)"), warning);
        assertEquals(Optional.empty(), FolderCheck.warning("read ~/x.md", Map.of("files",
                List.of(HOME.toUri())), server -> null, HOME), "a home path is resolved against the home folder");
        assertEquals(Optional.empty(), FolderCheck.warning("read /srv/a/../b/x.md", Map.of("files",
                List.of(URI.create("file:///srv/b"))), server -> null, HOME), "compared once normalised");
        assertEquals(Optional.empty(), FolderCheck.warning("read /srv/a/x.md", Map.of("files",
                List.of(URI.create("file:///srv/b")), "other", List.of()), server -> null, HOME),
                "a server without roots may work anywhere: nothing can be said");
        assertEquals(Optional.empty(), FolderCheck.warning("write a poem", roots, server -> null, HOME));
    }

    @Test
    void aLongListingIsCheckedOnItsFirst64PathsAndTheWarningNamesFiveOfThoseOutside() {
        String listing = IntStream.rangeClosed(1, 100).mapToObj(n -> "/srv/other/f" + n + ".txt")
                .collect(Collectors.joining(" "));

        String warning = FolderCheck.warning("copy these: " + listing, Map.of("files",
                List.of(URI.create("file:///srv/a"))), server -> null, HOME).orElseThrow();

        assertTrue(warning.startsWith("the task names /srv/other/f1.txt, /srv/other/f2.txt, /srv/other/f3.txt,"
                + " /srv/other/f4.txt, /srv/other/f5.txt and 59 more, outside the roots"), warning);
    }

    @Test
    void aRootReachedThroughASymbolicLinkHoldsThePathsOfTheFolderItLinksTo() throws IOException {
        Path real = Files.createDirectories(temp.resolve("real/notes"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), temp.resolve("real"));

        Optional<String> through = FolderCheck.warning("summarise " + real + " into " + real.resolve("summary.md"),
                Map.of("files", List.of(link.toUri())), server -> null, HOME);
        Optional<String> elsewhere = FolderCheck.warning("summarise " + temp.resolve("other"),
                Map.of("files", List.of(link.toUri())), server -> "etc/io.mcpagent.mcp.server~files.cfg.json", HOME);

        assertEquals(Optional.empty(), through);
        assertTrue(elsewhere.orElseThrow().startsWith("the task names " + temp.resolve("other") + ", outside"),
                elsewhere.orElseThrow());
        assertTrue(elsewhere.orElseThrow().endsWith("(\"roots\": [\"" + temp.resolve("other") + "\"] in"
                + " etc/io.mcpagent.mcp.server~files.cfg.json)"), "the one server's file: " + elsewhere.orElseThrow());
    }
}
