package io.mcpagent.analyzer.heuristic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tokens the scan collects for the capability model are those {@link TextFeatures#tokens} finds in the scanned
 * text, wherever the scan reads by other rules: quotes, shapes, code and names it takes whole, words beyond its
 * 32 characters, characters outside ASCII.
 */
class ModelTokensTest {
    private static final Lexicon LEXICON = SignalTables.lexicon();

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "  \n\t ",
        "Pneumonoultramicroscopicsilicovolcanoconiosis_and_more_than_32_characters is one token",
        "v2.3.1 at 10:30, $1,200 or 30% of 2/14; max_connections and __init__ too",
        "Größe, ÉCOLE, İstanbul, naïve café; ΣΊΣΥΦΟΣ and Ⓐ Ⅻ \u212a\u212b\u00b5 \u2028next\u00a0line",
        "deploy 🚀 now!!!??? ... --- *** (((really))) ;;",
        "Post in #ops: \"deploy paused until 3pm.\" Then tell “the Team” and 'I got charged twice' too",
        "an unclosed \"quote runs on and 'another one",
        "Fetch https://x.io/news?q=1&a=B, then gs://bucket/Key.CSV and www.Example.com/a-b.",
        "Read ~/notes/Standups/*.md and ./src/Main.java into digest.md; mail a@b.com, @Dana and #channel #123",
        "Call /api/search and /v2/orders, then print() and orders(customer_id, created_at) and data.map(r => r.id)",
        "the buckets acme-logs-archive, logs-prod and end-to-end too-many-branches-here",
        "(see owner/repo) and async/await, $29/$79/$199 [a]<b>`c`*d*",
        "TABS\tand\r\nCRLF\u000bvertical\u001ccontrol \u0000 nul",
    })
    void theScanCollectsTheTokensTheModelWouldRead(String text) {
        assertSameTokens(text, text.length());
    }

    @Test
    void beyondTheScanLimitNeitherReads() {
        String text = "Search the web for \"solar panels\" at https://example.com/news and summarise-the-long-result";
        for (int limit = 0; limit <= text.length(); limit++) {
            assertSameTokens(text, limit);
        }
    }

    @Test
    void everyCorpusTaskGivesTheSameTokens() throws IOException {
        try (var files = Files.list(Corpus.DIRECTORY)) {
            for (var file : files.filter(f -> f.toString().endsWith(".tsv")).sorted().toList()) {
                for (Corpus.Labelled task : Corpus.load(file.getFileName().toString()).tasks()) {
                    assertSameTokens(task.text(), task.text().length());
                }
            }
        }
    }

    private static void assertSameTokens(String text, int limit) {
        List<String> expected = new ArrayList<>();
        TextFeatures.tokens(text, 0, Math.min(limit, text.length()), collect(text, expected));
        List<String> collected = new ArrayList<>();
        new Scan(LEXICON).run(text, limit).modelTokens.visit(collect(text, collected));
        assertEquals(expected, collected, text + " (scanned up to " + limit + ")");
    }

    private static TextFeatures.TokenVisitor collect(String text, List<String> into) {
        return (hash, from, to) -> into.add(text.substring(from, to) + " " + from + " " + Long.toHexString(hash));
    }
}
