package io.mcpagent.pattern.router.internal;

import java.util.Objects;

/** One choice of the routing agent: a candidate name, how confident it is (0 to 1), and why. */
record Choice(String candidate, double confidence, String reasoning) {
    Choice {
        Objects.requireNonNull(candidate, "candidate");
        reasoning = reasoning == null ? "" : reasoning;
    }
}
