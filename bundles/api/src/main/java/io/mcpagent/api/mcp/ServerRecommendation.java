package io.mcpagent.api.mcp;

import java.util.Objects;

/** A catalog entry ranked for a task: a score in 0..1 and a reason a person can read. */
public record ServerRecommendation(CatalogEntry entry, double score, String reason, boolean installed) {
    public ServerRecommendation {
        Objects.requireNonNull(entry, "entry");
        reason = reason == null ? "" : reason;
    }
}
