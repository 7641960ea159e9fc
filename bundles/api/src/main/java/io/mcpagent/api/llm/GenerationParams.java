package io.mcpagent.api.llm;

import java.util.List;

/** Sampling parameters; {@code null} means the provider's default. */
public record GenerationParams(Integer maxOutputTokens, Double temperature, Double topP, List<String> stopSequences,
                               Long seed) {
    public GenerationParams {
        stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    }

    public static GenerationParams defaults() {
        return new GenerationParams(null, null, null, List.of(), null);
    }
}
