package io.mcpagent.benchmarks.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.mcp.ServerRecommendation;
import io.mcpagent.mcp.internal.catalog.BuiltinCatalog;
import io.mcpagent.mcp.internal.catalog.RecommendationRanker;

/**
 * One {@code recommend} call over a catalog of 100 entries: the built-in ones plus synthetic entries made of
 * the same kind of words, so that tasks hit long posting lists. The goal is at most 20 microseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecommendBenchmark {

    private static final int CATALOG_SIZE = 100;
    private static final String[] WORDS = {"search", "web", "page", "file", "folder", "repo", "issue", "sql",
            "table", "query", "database", "message", "channel", "map", "route", "time", "image", "cluster", "pod",
            "payment", "invoice", "document", "wiki", "note", "browser", "click", "crawl", "index", "log", "error"};
    private static final String[] CAPABILITIES = {"web_fetch", "web_search", "file_read", "code_repository",
            "database_query", "messaging", "maps", "documents", "monitoring", "browser_automation"};
    private static final String[] TASKS = {
            "open a pull request on my repo",
            "scrape the website and summarise the article",
            "run a SQL query on the orders table and post the totals to the team channel",
            "remember facts about the customer",
            "search the web for news about the outage, check the error logs and write a report to a file"};

    @Param({"0", "1", "2", "3", "4"})
    public int taskIndex;

    private RecommendationRanker ranker;
    private String task;

    @Setup
    public void setUp() {
        List<CatalogEntry> entries = new ArrayList<>(BuiltinCatalog.load());
        Random random = new Random(42);
        for (int i = entries.size(); i < CATALOG_SIZE; i++) {
            List<String> keywords = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                keywords.add(WORDS[random.nextInt(WORDS.length)] + (k % 3 == 0 ? " " + WORDS[random.nextInt(WORDS.length)] : ""));
            }
            entries.add(new CatalogEntry("synthetic-" + i, "Synthetic " + WORDS[random.nextInt(WORDS.length)], "", "data",
                    List.of(CAPABILITIES[random.nextInt(CAPABILITIES.length)], CAPABILITIES[random.nextInt(CAPABILITIES.length)]),
                    keywords, random.nextInt(101), null, null, "synthetic-server", List.of(), List.of(), null, null));
        }
        ranker = new RecommendationRanker(entries);
        task = TASKS[taskIndex];
    }

    @Benchmark
    public List<ServerRecommendation> recommendTop5() {
        return ranker.recommend(task, 5, id -> false);
    }
}
