package io.mcpagent.pattern.evaluator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.runtime.ParserMessages;

/** One evaluator verdict on a draft: a rating from 1 to 5, feedback, and whether the evaluator finds it acceptable. */
record Evaluation(int rating, String feedback, boolean acceptable) {
    static final int LOWEST = 1;
    static final int HIGHEST = 5;
    static final String SCHEMA = """
            {"type":"object","properties":{\
            "rating":{"type":"integer","description":"1 unusable, 2 poor, 3 fair, 4 good, 5 excellent: nothing to improve"},\
            "feedback":{"type":"string","description":"Specific changes that would raise the rating; empty when there are none"},\
            "acceptable":{"type":"boolean","description":"Whether the draft can be delivered as it is"}},\
            "required":["rating","feedback","acceptable"],"additionalProperties":false}""";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Reads an evaluator's answer.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static Evaluation parse(String answer) {
        JsonNode node;
        try {
            node = JSON.readTree(answer == null ? "" : answer.strip());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("it is not JSON ("
                    + ParserMessages.withoutSource(e.getOriginalMessage()) + ")", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("it is not a JSON object");
        }
        JsonNode rating = node.get("rating");
        if (rating == null || !rating.isNumber() || !rating.canConvertToExactIntegral()
                || rating.asDouble() < LOWEST || rating.asDouble() > HIGHEST) {
            throw new IllegalArgumentException("'rating' must be a whole number from " + LOWEST + " to " + HIGHEST
                    + ", was " + (rating == null ? "missing" : rating.toString()));
        }
        JsonNode feedback = node.get("feedback");
        if (feedback == null || !feedback.isTextual()) {
            throw new IllegalArgumentException("'feedback' must be a string, was "
                    + (feedback == null ? "missing" : feedback.toString()));
        }
        JsonNode acceptable = node.get("acceptable");
        if (acceptable == null || !acceptable.isBoolean()) {
            throw new IllegalArgumentException("'acceptable' must be true or false, was "
                    + (acceptable == null ? "missing" : acceptable.toString()));
        }
        return new Evaluation(rating.asInt(), feedback.asText().strip(), acceptable.asBoolean());
    }
}
