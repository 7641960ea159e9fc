package io.mcpagent.api.llm;

/** A source the model cited for the preceding text. */
public record CitationPart(String title, String url, String citedText) implements Part {
}
