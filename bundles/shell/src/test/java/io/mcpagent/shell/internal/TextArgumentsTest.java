package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** How a console line is handed to Gogo: see {@link ConsoleLoopTest} for what the commands then receive. */
class TextArgumentsTest {
    private static final java.util.regex.Pattern PROPERTY = java.util.regex.Pattern.compile(
            "name=\"osgi\\.command\\.(scope|function)\"[^>]*?(?:value=\"([^\"]*)\"[^>]*/>|>([^<]*)</property>)");

    @Test
    void theDoubleQuotedArgumentsOfOurCommandsAreSingleQuoted() {
        assertEquals("agent:analyze 'under $200, cut 20%'", TextArguments.asWritten(
                "agent:analyze \"under $200, cut 20%\""));
        assertEquals("  plan --pattern 'router' 'yesterday'\\''s logs'", TextArguments.asWritten(
                "  plan --pattern \"router\" \"yesterday's logs\""));
        assertEquals("llm:chat openai 'say \"hi\" from C:\\temp\\new'", TextArguments.asWritten(
                "llm:chat openai \"say \\\"hi\\\" from C:\\temp\\new\""));
        assertEquals("agent:execute 'a $b % c '\\'' d \\ e'", TextArguments.asWritten(
                "agent:execute \"a \\$b \\% c \\' d \\\\ e\""));
        assertEquals("agent:analyze ''", TextArguments.asWritten("agent:analyze \"\""));
    }

    @Test
    void singleQuotesEscapesOutsideQuotesAndWhatFollowsTheStatementAreGogos() {
        assertEquals("agent:analyze 'it\"s' x\\\"y 'z' ; echo \"$x\"", TextArguments.asWritten(
                "agent:analyze 'it\"s' x\\\"y \"z\" ; echo \"$x\""));
        assertEquals("agent:show $id | echo \"$it\"", TextArguments.asWritten("agent:show $id | echo \"$it\""));
    }

    @Test
    void otherCommandsAndUnclosedQuotesAreLeftAsTheyAre() {
        for (String line : new String[] {"echo \"it's $x\"", "scr:list \"a\"", "agent:nothing \"it's\"",
                "x = agent:analyze \"a\"", "agent:analyze \"it's", "agent:analyze 'it's", ""}) {
            assertEquals(line, TextArguments.asWritten(line));
        }
    }

    @Test
    void theCommandsAreThoseTheBundlesComponentsRegister() throws IOException {
        Map<String, Set<String>> registered = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("target/classes/OSGI-INF"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".xml")).toList()) {
                String scope = null;
                Set<String> functions = new TreeSet<>();
                Matcher m = PROPERTY.matcher(Files.readString(file));
                while (m.find()) {
                    String value = m.group(2) != null ? m.group(2) : m.group(3);
                    if (m.group(1).equals("scope")) {
                        scope = value.strip();
                    } else {
                        functions.addAll(Arrays.stream(value.strip().split("\\s+")).toList());
                    }
                }
                if (scope != null) {
                    registered.put(scope, functions);
                }
            }
        }
        Map<String, Set<String>> named = TextArguments.COMMANDS.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> new TreeSet<>(e.getValue()), (a, b) -> a, TreeMap::new));
        assertEquals(registered, named);
    }
}
