package io.mcpagent.analyzer.llm.internal;

import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.FIELD_CAPABILITIES;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.FIELD_CAPABILITY_CONFIDENCE;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.FIELD_COMPLEXITY;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.FIELD_CONFIDENCE;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.FIELD_PATTERN;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.FIELD_REASONING;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.FIELD_STEPS;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.FIELD_TYPE;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.MAX_REASONING_CHARS;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.MAX_STEPS;
import static io.mcpagent.analyzer.llm.internal.AnalysisPrompt.MIN_STEPS;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.mcpagent.api.llm.JsonAnswers;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.api.task.Capability;
import io.mcpagent.api.task.Complexity;
import io.mcpagent.api.task.TaskType;

/**
 * The model's answer, read strictly and made safe: the rules (also in the module README) are
 * <ul>
 * <li>one Markdown code fence around the JSON (with or without a language tag, with prose around it) is removed;
 * what remains must be exactly one JSON object (no comments, trailing commas, duplicate keys or trailing text), else
 * the answer is malformed;</li>
 * <li>labels forgive case, blanks, and hyphens, spaces or underscores used for one another;</li>
 * <li>a missing or unknown {@code type} becomes GENERAL, a missing or unknown {@code complexity} MODERATE, and either
 * caps the confidence at {@value #GUESSED_CONFIDENCE};</li>
 * <li>a missing or non-numeric {@code confidence} is {@value #GUESSED_CONFIDENCE}; a number is clamped to [0, 1];</li>
 * <li>a missing {@code capabilityConfidence} is the confidence (models told of it earlier, or that skip it); a
 * non-numeric one is the confidence too, and a number is clamped to [0, 1]; when the capabilities had to be
 * corrected (unknown ones dropped, a non-array taken as none) it is at most {@value #GUESSED_CONFIDENCE}: the model
 * meant a tool the platform does not have;</li>
 * <li>{@code estimatedSteps} is rounded and clamped to [1, 50]; missing or non-numeric, it is the complexity's
 * typical count (1, 3, 5, 10);</li>
 * <li>unknown capabilities are dropped (a non-array means none); an unknown pattern means no recommendation;</li>
 * <li>{@code reasoning} has its blanks collapsed and is cut to 300 characters;</li>
 * <li>fields the schema does not name are ignored.</li>
 * </ul>
 * Every rule that changes something adds a note, so the analysis' reasoning says what the model really answered.
 */
record ModelAnswer(TaskType type, Complexity complexity, int estimatedSteps, Set<String> capabilities,
                   String pattern, double confidence, double capabilityConfidence, String reasoning,
                   List<String> notes) {

    /** The confidence of an answer whose type, complexity or confidence had to be guessed, at most. */
    static final double GUESSED_CONFIDENCE = 0.3;

    private static final ObjectReader STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build().reader();
    private static final int QUOTED_VALUE_CHARS = 40;
    private static final int QUOTED_ANSWER_CHARS = 120;

    ModelAnswer {
        capabilities = Set.copyOf(capabilities);
        notes = List.copyOf(notes);
    }

    static ModelAnswer parse(String answer) throws MalformedAnswerException {
        String json = JsonAnswers.unfenced(answer); // models add fences even when told not to
        if (json.isEmpty()) {
            throw new MalformedAnswerException("the answer is empty");
        }
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new MalformedAnswerException("the answer is not valid JSON ("
                    + ParserMessages.withoutSource(e.getOriginalMessage())
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + "); it begins: " + quote(json, QUOTED_ANSWER_CHARS), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedAnswerException("the answer is JSON but not an object: " + quote(json, QUOTED_ANSWER_CHARS));
        }
        List<String> notes = new ArrayList<>();
        JsonNode typeNode = root.path(FIELD_TYPE);
        Optional<TaskType> type = apiLabel(TaskType.class, typeNode);
        if (type.isEmpty()) {
            notes.add(describe(FIELD_TYPE, typeNode) + " taken as " + TaskType.GENERAL);
        }
        JsonNode complexityNode = root.path(FIELD_COMPLEXITY);
        Optional<Complexity> complexity = apiLabel(Complexity.class, complexityNode);
        if (complexity.isEmpty()) {
            notes.add(describe(FIELD_COMPLEXITY, complexityNode) + " taken as " + Complexity.MODERATE);
        }
        Complexity complexityOrGuess = complexity.orElse(Complexity.MODERATE);
        int steps = steps(root.path(FIELD_STEPS), complexityOrGuess, notes);
        int notesBefore = notes.size();
        Set<String> capabilities = capabilities(root.path(FIELD_CAPABILITIES), notes);
        boolean capabilitiesCorrected = notes.size() > notesBefore;
        String pattern = pattern(root.path(FIELD_PATTERN), notes);
        double confidence = confidence(root.path(FIELD_CONFIDENCE), notes);
        if ((type.isEmpty() || complexity.isEmpty()) && confidence > GUESSED_CONFIDENCE) {
            confidence = GUESSED_CONFIDENCE;
            notes.add("confidence capped at " + GUESSED_CONFIDENCE + " because a label was guessed");
        }
        double capabilityConfidence = capabilityConfidence(root.path(FIELD_CAPABILITY_CONFIDENCE), confidence, notes);
        if (capabilitiesCorrected && capabilityConfidence > GUESSED_CONFIDENCE) {
            capabilityConfidence = GUESSED_CONFIDENCE;
            notes.add(FIELD_CAPABILITY_CONFIDENCE + " capped at " + GUESSED_CONFIDENCE
                    + " because the capabilities had to be corrected");
        }
        return new ModelAnswer(type.orElse(TaskType.GENERAL), complexityOrGuess, steps, capabilities, pattern,
                confidence, capabilityConfidence, reasoning(root.path(FIELD_REASONING)), notes);
    }

    /** The typical step count of a complexity, for an answer without a usable one. */
    static int typicalSteps(Complexity complexity) {
        return switch (complexity) {
            case SIMPLE -> 1;
            case MODERATE -> 3;
            case COMPLEX -> 5;
            case EXPERT -> 10;
        };
    }

    private static <E extends Enum<E>> Optional<E> apiLabel(Class<E> labels, JsonNode node) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        String normalised = node.asText().strip().toUpperCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
        for (E label : labels.getEnumConstants()) {
            if (label.name().equals(normalised)) {
                return Optional.of(label);
            }
        }
        return Optional.empty();
    }

    private static int steps(JsonNode node, Complexity complexity, List<String> notes) {
        OptionalDouble given = number(node);
        if (given.isEmpty()) {
            int typical = typicalSteps(complexity);
            notes.add(describe(FIELD_STEPS, node) + " taken as " + typical + ", typical for " + complexity);
            return typical;
        }
        double value = given.getAsDouble();
        int steps = (int) Math.max(MIN_STEPS, Math.min(MAX_STEPS, Math.round(value)));
        if (steps != value) {
            notes.add(FIELD_STEPS + " " + node.asText() + " taken as " + steps);
        }
        return steps;
    }

    private static Set<String> capabilities(JsonNode node, List<String> notes) {
        Set<String> known = new LinkedHashSet<>();
        if (!node.isArray()) {
            notes.add(describe(FIELD_CAPABILITIES, node) + " taken as none");
            return known;
        }
        List<String> dropped = new ArrayList<>();
        for (JsonNode item : node) {
            Optional<Capability> capability = item.isTextual() ? capabilityOfLabel(item.asText()) : Optional.empty();
            capability.ifPresentOrElse(c -> known.add(c.id()), () -> dropped.add(quote(item.toString(),
                    QUOTED_VALUE_CHARS)));
        }
        if (!dropped.isEmpty()) {
            notes.add("unknown capabilities dropped: " + String.join(", ", dropped));
        }
        return known;
    }

    /**
     * The capability a model's label names: case, surrounding blanks, and hyphens or spaces in place of underscores
     * are forgiven ({@code "Web-Search"} is {@code web_search}); anything else is not in the vocabulary.
     */
    static Optional<Capability> capabilityOfLabel(String label) {
        return Capability.ofId(label.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_"));
    }

    private static String pattern(JsonNode node, List<String> notes) {
        Optional<PatternName> pattern = node.isTextual() ? PatternName.fromLabel(node.asText()) : Optional.empty();
        if (pattern.isEmpty()) {
            notes.add(describe(FIELD_PATTERN, node) + " taken as no recommendation");
            return null;
        }
        return pattern.get().id();
    }

    private static double confidence(JsonNode node, List<String> notes) {
        return fraction(FIELD_CONFIDENCE, node, GUESSED_CONFIDENCE, Double.toString(GUESSED_CONFIDENCE), notes);
    }

    /** The given capability confidence, clamped; the confidence when none is given (silently: it is optional). */
    private static double capabilityConfidence(JsonNode node, double confidence, List<String> notes) {
        return node.isMissingNode() || node.isNull() ? confidence
                : fraction(FIELD_CAPABILITY_CONFIDENCE, node, confidence, "the confidence " + confidence, notes);
    }

    /**
     * A number in [0, 1] from {@code node}, clamped with a note; {@code fallback} (described in the note as
     * {@code fallbackText}) when it is no number.
     */
    private static double fraction(String field, JsonNode node, double fallback, String fallbackText,
                                   List<String> notes) {
        OptionalDouble given = number(node);
        if (given.isEmpty()) {
            notes.add(describe(field, node) + " taken as " + fallbackText);
            return fallback;
        }
        double value = given.getAsDouble();
        double clamped = Math.max(0.0, Math.min(1.0, value));
        if (clamped != value) {
            notes.add(field + " " + node.asText() + " clamped to " + clamped);
        }
        return clamped;
    }

    private static String reasoning(JsonNode node) {
        if (!node.isTextual()) {
            return "";
        }
        String text = node.asText().strip().replaceAll("\\s+", " ");
        if (text.length() <= MAX_REASONING_CHARS) {
            return text;
        }
        int end = MAX_REASONING_CHARS - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /** A JSON number, or a string holding a finite one (some models quote numbers); empty for anything else. */
    private static OptionalDouble number(JsonNode node) {
        if (node.isNumber()) {
            return OptionalDouble.of(node.doubleValue());
        }
        if (node.isTextual()) {
            try {
                double value = Double.parseDouble(node.asText().strip());
                return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    /** "no type" for a missing or null field, else the field and its value as JSON, e.g. {@code type "PLANNING"}. */
    private static String describe(String field, JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "no " + field
                : field + " " + quote(node.toString(), QUOTED_VALUE_CHARS);
    }

    private static String quote(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
    }
}
