package io.mcpagent.mcp.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void splitsOnNonLettersAndDropsStopWords() {
        assertEquals(List.of("open", "pull", "request", "repo"), Words.words("Open a pull-request on my REPO!"));
        assertEquals(List.of("k8s", "s3"), Words.words("the k8s and S3"));
    }

    @Test
    void formsOfAWordShareAStem() {
        assertEquals(Words.stem("scrape"), Words.stem("scraping"));
        assertEquals(Words.stem("scrape"), Words.stem("scraped"));
        assertEquals(Words.stem("website"), Words.stem("websites"));
        assertEquals(Words.stem("query"), Words.stem("queries"));
        assertEquals(Words.stem("commit"), Words.stem("committed"));
        assertEquals(Words.stem("run"), Words.stem("running"));
        assertEquals(Words.stem("table"), Words.stem("tables"));
        assertEquals(Words.stem("fact"), Words.stem("facts"));
    }

    @Test
    void leavesShortWordsAndFalsePluralsAlone() {
        assertEquals("git", Words.stem("git"));
        assertEquals("address", Words.stem("address"));
        assertEquals("status", Words.stem("status"));
        assertEquals("analysis", Words.stem("analysis"));
        assertEquals("call", Words.stem("called"));
    }
}
