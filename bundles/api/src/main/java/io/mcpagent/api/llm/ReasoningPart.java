package io.mcpagent.api.llm;

/**
 * Model reasoning. {@code signature} and {@code encrypted} are opaque artefacts to replay unchanged to the same
 * provider and model, and to drop when the conversation moves to another one.
 */
public record ReasoningPart(String provider, String model, String text, String summary, String signature,
                            String encrypted, boolean redacted) implements Part {
}
