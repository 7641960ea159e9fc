package io.mcpagent.api.llm;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asking a model for JSON of a schema where no model with structured output fits, and reading its answer: the
 * schema goes into an instruction instead of the request's {@link ResponseFormat.JsonSchema}, and the answer is taken
 * out of the Markdown code fence a model adds even when told not to. An agent's structured answer and the LLM task
 * analyzer both ask so on a provider whose models do not declare {@link ModelCapability#STRUCTURED_OUTPUT} (a local
 * server's, say), where they failed "no model fits (structured_output)". Since 1.22.
 */
public final class JsonAnswers {
    /** The first fenced block, e.g. {@code ```json ... ```}. */
    private static final Pattern FENCED = Pattern.compile("```[\\w-]*[ \\t]*\\R?(.*?)```", Pattern.DOTALL);

    private JsonAnswers() {
    }

    /**
     * The requirements to route a call by whose answer must match a JSON schema, when the schema is to be asked for
     * in an instruction: {@code requirements} without {@link ModelCapability#STRUCTURED_OUTPUT}, when they name it,
     * no model fits them as they are and one fits without it. Empty when a model with structured output fits, or none
     * fits either way (the call then fails naming what is missing), or the router cannot tell.
     */
    public static Optional<ModelRequirements> promptedInstead(LlmRouter router, ModelRequirements requirements) {
        Objects.requireNonNull(router, "router");
        if (!requirements.capabilities().contains(ModelCapability.STRUCTURED_OUTPUT) || fits(router, requirements)) {
            return Optional.empty();
        }
        Set<ModelCapability> others = EnumSet.copyOf(requirements.capabilities());
        others.remove(ModelCapability.STRUCTURED_OUTPUT);
        ModelRequirements without = new ModelRequirements(others, requirements.minContextWindow(),
                requirements.preference(), requirements.providerId(), requirements.model(),
                requirements.fallbackChain());
        return fits(router, without) ? Optional.of(without) : Optional.empty();
    }

    /** Whether the router has a model for these requirements now; one that cannot tell is taken at its word. */
    private static boolean fits(LlmRouter router, ModelRequirements requirements) {
        try {
            router.select(requirements);
            return true;
        } catch (ProviderException e) {
            return false;
        } catch (RuntimeException e) {
            return true; // the call itself will say what is wrong
        }
    }

    /** The instruction that asks for an answer matching {@code schemaJson}, given in place of the response format. */
    public static String schemaInstruction(String schemaJson) {
        return "Answer with only a JSON value, with no text or code fence around it, that matches this JSON Schema: "
                + Objects.requireNonNull(schemaJson, "schemaJson");
    }

    /**
     * The JSON of an answer: the content of its first Markdown code fence ({@code ```json ... ```}, with or without a
     * language), or what follows an opening fence whose closing one is missing (an answer cut off at its output
     * limit), else the answer itself; stripped of surrounding white space.
     */
    public static String unfenced(String answer) {
        String text = answer.strip();
        Matcher fenced = FENCED.matcher(text);
        if (fenced.find()) {
            return fenced.group(1).strip();
        }
        if (text.startsWith("```")) {
            int lineEnd = text.indexOf('\n');
            return lineEnd < 0 ? "" : text.substring(lineEnd + 1).strip();
        }
        return text;
    }
}
