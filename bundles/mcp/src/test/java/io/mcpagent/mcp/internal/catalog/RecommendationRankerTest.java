package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.ServerRecommendation;

class RecommendationRankerTest {

    private final RecommendationRanker ranker = new RecommendationRanker(BuiltinCatalog.load());

    private List<ServerRecommendation> recommend(String task, int max) {
        return ranker.recommend(task, max, id -> false);
    }

    private List<String> ids(List<ServerRecommendation> recommendations) {
        return recommendations.stream().map(r -> r.entry().id()).toList();
    }

    @Test
    void githubForAPullRequest() {
        List<ServerRecommendation> found = recommend("open a pull request on my repo", 5);
        assertEquals("github", found.get(0).entry().id(), ids(found).toString());
        String reason = found.get(0).reason();
        assertTrue(reason.contains("'pull request'") && reason.contains("'repo'"), reason);
        assertTrue(reason.contains("-> code_repository"), reason);
    }

    @Test
    void aLocalPathIsFilesToReadWhateverWordsNameThem() {
        // "notes" alone matched the notes apps (documents): the folder is what is to be read
        ServerRecommendation best = recommend("read my notes in ~/notes and summarise them", 3).get(0);
        assertEquals("filesystem", best.entry().id());
        assertEquals("matches '~/notes' -> file_read", best.reason());
        for (String task : List.of("summarise ./docs/", "what is in /var/log/app.log?", "list (../data), please",
                "zip C:\\reports\\2026 for me")) {
            assertEquals("filesystem", recommend(task, 1).get(0).entry().id(), task);
        }
        ServerRecommendation both = recommend("copy the files of ~/a and /srv/b", 1).get(0);
        assertTrue(both.reason().startsWith("matches '~/a', '/srv/b', 'file' -> file_read"), both.reason());
    }

    @Test
    void webAddressesRoutesAndSlashedWordsAreNoLocalPaths() {
        for (String task : List.of("fetch https://example.com/a/b", "call /api/search on it", "GET /v2/orders",
                "input and/or output", "open 24/7")) {
            assertFalse(recommend(task, 5).stream().anyMatch(r -> r.reason().contains("-> file_read")),
                    task + ": " + recommend(task, 5));
        }
    }

    @Test
    void githubNamedInTheTaskIsAMatchOnTheName() {
        ServerRecommendation best = recommend("list the open issues on GitHub", 3).get(0);
        assertEquals("github", best.entry().id());
        assertEquals("matches 'github', 'issue' -> code_repository", best.reason());
    }

    @Test
    void fetchOrPuppeteerToScrapeAWebsite() {
        List<ServerRecommendation> found = recommend("scrape the website", 5);
        assertTrue(Set.of("fetch", "puppeteer").contains(found.get(0).entry().id()), ids(found).toString());
        assertTrue(found.get(0).reason().contains("-> web_fetch"), found.get(0).reason());
        assertTrue(ids(found).contains("puppeteer") && ids(found).contains("fetch"), ids(found).toString());
    }

    @Test
    void wordFormsMatchLikeTheKeyword() {
        assertEquals("fetch", recommend("scraping some websites", 1).get(0).entry().id());
    }

    @Test
    void aDatabaseForSql() {
        List<ServerRecommendation> found = recommend("run a SQL query on the orders table", 5);
        assertTrue(Set.of("postgres", "sqlite").contains(found.get(0).entry().id()), ids(found).toString());
        assertTrue(ids(found).subList(0, 2).containsAll(List.of("postgres", "sqlite")), ids(found).toString());
        assertTrue(found.get(0).reason().contains("'sql'"), found.get(0).reason());
    }

    @Test
    void memoryToRememberFacts() {
        List<ServerRecommendation> found = recommend("remember facts", 3);
        assertEquals("memory", found.get(0).entry().id(), ids(found).toString());
        assertEquals("matches 'remember', 'fact' -> memory", found.get(0).reason());
    }

    @Test
    void moreTasksFindTheObviousServer() {
        assertEquals("slack", recommend("post a message to the team channel", 3).get(0).entry().id());
        assertEquals("google-maps", recommend("directions and travel time to this address", 3).get(0).entry().id());
        assertEquals("google-drive", recommend("read a spreadsheet from Google Drive", 3).get(0).entry().id());
        assertEquals("filesystem", recommend("edit files in a local folder", 3).get(0).entry().id());
        assertEquals("sentry", recommend("why does the app crash? look at the stack trace", 3).get(0).entry().id());
    }

    @Test
    void aReasonGroupsWordsByCapability() {
        ServerRecommendation tavily = recommend("search the web for news and fetch the pages", 5).stream()
                .filter(r -> r.entry().id().equals("tavily")).findFirst().orElseThrow();
        assertEquals("matches 'search web', 'news' -> web_search; 'fetch', 'page' -> web_fetch", tavily.reason());
    }

    @Test
    void scoresAreInZeroToOneAndDescending() {
        List<ServerRecommendation> found = recommend("search the web for news and fetch the pages", 10);
        assertFalse(found.isEmpty());
        for (int i = 0; i < found.size(); i++) {
            double score = found.get(i).score();
            assertTrue(score > 0 && score <= 1, "score " + score);
            if (i > 0) {
                assertTrue(found.get(i - 1).score() >= score, "not descending at " + i);
            }
        }
    }

    @Test
    void returnsAtMostMaxAndOnlyMatches() {
        assertEquals(2, recommend("search the web for news and fetch the pages", 2).size());
        assertEquals(List.of(), recommend("xyzzy plugh", 5));
    }

    @Test
    void synonymsLeadToCapabilitiesWithoutKeywords() {
        CatalogEntry warehouse = new CatalogEntry("warehouse", null, "", "other", List.of("database_query"), List.of(),
                50, null, null, "warehouse-server", List.of(), List.of(), null, null);

        List<ServerRecommendation> found = new RecommendationRanker(List.of(warehouse))
                .recommend("count the rows per customer", 3, id -> false);

        assertEquals(List.of("warehouse"), ids(found));
        assertEquals("matches 'row' -> database_query", found.get(0).reason());
    }

    @Test
    void aPhraseNeedsAllItsWords() {
        assertFalse(ids(recommend("pull", 5)).contains("github"));
    }

    @Test
    void priorityDecidesBetweenEqualMatches() {
        CatalogEntry low = entry("alpha", 10);
        CatalogEntry high = entry("beta", 90);
        List<ServerRecommendation> found = new RecommendationRanker(List.of(low, high))
                .recommend("weather forecast", 5, id -> false);
        assertEquals(List.of("beta", "alpha"), ids(found));
        assertTrue(found.get(0).score() > found.get(1).score());
    }

    @Test
    void installedComesFromThePredicate() {
        List<ServerRecommendation> found = ranker.recommend("remember facts", 3, "memory"::equals);
        assertTrue(found.get(0).installed());
        assertTrue(found.stream().skip(1).noneMatch(ServerRecommendation::installed));
    }

    @Test
    void rejectsABlankTaskAndANonPositiveMax() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> recommend("  ", 3)).getMessage().contains("blank"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> recommend("fetch", 0)).getMessage().contains("max"));
        assertThrows(IllegalArgumentException.class, () -> recommend(null, 3));
    }

    private static CatalogEntry entry(String id, int priority) {
        return new CatalogEntry(id, null, "", "weather", List.of(), List.of("forecast"), priority, null, null,
                "weather-server", List.of(), List.of(), null, null);
    }
}
