package io.mcpagent.provider.scripted.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.Usage;
import io.mcpagent.api.runtime.ParserMessages;

/**
 * A parsed script: {@code {"model": "...", "responses": [ ... ]}}. Parsing collects every mistake, each named by
 * the response it is in, so that one look at the health message is enough to fix the file.
 */
record Script(String model, List<ScriptedResponse> responses, String source) {
    static final String DEFAULT_MODEL = "scripted-1";
    private static final Set<String> SCRIPT_FIELDS = Set.of("model", "responses");
    private static final Set<String> FIELDS = Set.of("text", "toolCalls", "json", "error", "usage", "delayMs");
    private static final List<String> TOOL_CALL_FIELDS = List.of("name", "arguments", "id");
    private static final List<String> ERROR_FIELDS = List.of("category", "message", "retryAfterMs", "retryable",
            "httpStatus");
    private static final List<String> USAGE_FIELDS = List.of("inputTokens", "outputTokens", "cachedReadTokens",
            "cacheWriteTokens", "cacheWrite1hTokens", "reasoningTokens");

    Script {
        responses = List.copyOf(responses);
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    static Script load(Path file, ObjectMapper mapper) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("script " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("script " + file + " cannot be read: " + e);
        }
        return parse(text, mapper, file.toString());
    }

    /** @throws IllegalArgumentException naming {@code source} and every mistake found */
    static Script parse(String json, ObjectMapper mapper, String source) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("script " + source + " is not valid JSON: "
                    + ParserMessages.withoutSource(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("script " + source + " must be a JSON object with \"responses\"");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SCRIPT_FIELDS.contains(name)) {
                // "loop" belongs to the provider's configuration, not to the script: say so rather than ignore it
                problems.add("unknown field \"" + name + "\"; a script has model and responses only"
                        + (name.equals("loop") ? " (loop is set in the provider's configuration)" : ""));
            }
        }
        String model = DEFAULT_MODEL;
        JsonNode modelNode = root.get("model");
        if (modelNode != null) {
            if (!modelNode.isTextual() || modelNode.asText().isBlank()) {
                problems.add("\"model\" must be a non-empty string");
            } else {
                model = modelNode.asText().trim();
            }
        }
        List<ScriptedResponse> responses = new ArrayList<>();
        JsonNode list = root.get("responses");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add("\"responses\" must be a non-empty array");
        } else {
            for (int i = 0; i < list.size(); i++) {
                List<String> mistakes = new ArrayList<>();
                ScriptedResponse response = response(list.get(i), mapper, mistakes);
                int number = i + 1;
                mistakes.forEach(m -> problems.add("response " + number + ": " + m));
                responses.add(response);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("script " + source + ": " + String.join("; ", problems));
        }
        return new Script(model, responses, source);
    }

    private static ScriptedResponse response(JsonNode entry, ObjectMapper mapper, List<String> mistakes) {
        if (!entry.isObject()) {
            mistakes.add("must be an object with text, toolCalls, json or error");
            return null;
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                mistakes.add("unknown field \"" + name + "\"; use text, toolCalls, json, error, usage or delayMs");
            }
        }
        boolean hasText = entry.has("text");
        boolean hasCalls = entry.has("toolCalls");
        boolean hasJson = entry.has("json");
        boolean hasError = entry.has("error");
        if (!hasText && !hasCalls && !hasJson && !hasError) {
            mistakes.add("has none of text, toolCalls, json, error");
        }
        if (hasError && (hasText || hasCalls || hasJson)) {
            mistakes.add("\"error\" cannot be combined with text, toolCalls or json");
        }
        if (hasJson && (hasText || hasCalls)) {
            mistakes.add("\"json\" cannot be combined with text or toolCalls");
        }
        String text = null;
        if (hasText) {
            if (entry.get("text").isTextual()) {
                text = entry.get("text").asText();
            } else {
                mistakes.add("\"text\" must be a string");
            }
        }
        if (hasJson) {
            text = write(entry.get("json"), mapper);
        }
        List<ScriptedResponse.ToolCall> calls = hasCalls ? toolCalls(entry.get("toolCalls"), mapper, mistakes) : List.of();
        ProviderError error = hasError ? error(entry.get("error"), write(entry, mapper), mistakes) : null;
        Usage usage = entry.has("usage") ? usage(entry.get("usage"), mistakes) : Usage.NONE;
        long delay = 0;
        if (entry.has("delayMs")) {
            JsonNode delayMs = entry.get("delayMs");
            if (delayMs.canConvertToLong() && delayMs.isIntegralNumber() && delayMs.asLong() >= 0) {
                delay = delayMs.asLong();
            } else {
                mistakes.add("\"delayMs\" must be a non-negative whole number of milliseconds");
            }
        }
        return new ScriptedResponse(text, calls, error, usage, delay, write(entry, mapper));
    }

    private static List<ScriptedResponse.ToolCall> toolCalls(JsonNode node, ObjectMapper mapper, List<String> mistakes) {
        if (!node.isArray() || node.isEmpty()) {
            mistakes.add("\"toolCalls\" must be a non-empty array");
            return List.of();
        }
        List<ScriptedResponse.ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode call = node.get(i);
            String where = "tool call " + (i + 1);
            if (!call.isObject()) {
                mistakes.add(where + " must be an object with name and arguments");
                continue;
            }
            unknownFields(call, TOOL_CALL_FIELDS, where + ": ", mistakes);
            JsonNode name = call.get("name");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                mistakes.add(where + " has no \"name\"");
                continue;
            }
            JsonNode id = call.get("id");
            if (id != null && !id.isTextual()) {
                mistakes.add(where + ": \"id\" must be a string");
            }
            JsonNode arguments = call.get("arguments");
            String argumentsJson;
            if (arguments == null || arguments.isNull()) {
                argumentsJson = "{}";
            } else if (arguments.isObject()) {
                argumentsJson = write(arguments, mapper);
            } else if (arguments.isTextual()) {
                argumentsJson = arguments.asText(); // verbatim, so a script can play a model that writes broken JSON
            } else {
                mistakes.add(where + ": \"arguments\" must be an object (or a string, sent verbatim)");
                continue;
            }
            calls.add(new ScriptedResponse.ToolCall(id != null && id.isTextual() ? id.asText() : null,
                    name.asText(), argumentsJson));
        }
        return calls;
    }

    private static ProviderError error(JsonNode node, String rawJson, List<String> mistakes) {
        if (!node.isObject()) {
            mistakes.add("\"error\" must be an object with category and message");
            return null;
        }
        unknownFields(node, ERROR_FIELDS, "error: ", mistakes);
        JsonNode categoryNode = node.get("category");
        ProviderError.Category category;
        try {
            category = ProviderError.Category.valueOf(categoryNode == null ? "" : categoryNode.asText().trim()
                    .toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            mistakes.add("error category " + (categoryNode == null ? "is missing" : "'" + categoryNode.asText()
                    + "' is unknown") + "; use one of " + Arrays.stream(ProviderError.Category.values())
                    .map(Enum::name).collect(Collectors.joining(", ")));
            return null;
        }
        String message = node.hasNonNull("message") ? node.get("message").asText() : "scripted " + category;
        // checked rather than read with asBoolean() and asInt(), which take "yes" as false and "5xx" as 0: the script
        // would play another error than it says
        boolean retryable = category.retryableByDefault();
        if (node.has("retryable")) {
            if (node.get("retryable").isBoolean()) {
                retryable = node.get("retryable").booleanValue();
            } else {
                mistakes.add("error: \"retryable\" must be true or false");
            }
        }
        Duration retryAfter = null;
        if (node.has("retryAfterMs")) {
            if (!node.get("retryAfterMs").isNumber() || node.get("retryAfterMs").asLong() < 0) {
                mistakes.add("\"retryAfterMs\" must be a non-negative number");
            } else {
                retryAfter = Duration.ofMillis(node.get("retryAfterMs").asLong());
            }
        }
        int status = 0;
        if (node.has("httpStatus")) {
            if (node.get("httpStatus").canConvertToInt() && node.get("httpStatus").isIntegralNumber()) {
                status = node.get("httpStatus").intValue();
            } else {
                mistakes.add("error: \"httpStatus\" must be a whole number");
            }
        }
        return new ProviderError(category, status, "scripted", null, message, null, retryAfter, retryable, rawJson);
    }

    private static Usage usage(JsonNode node, List<String> mistakes) {
        if (!node.isObject()) {
            mistakes.add("\"usage\" must be an object with inputTokens and outputTokens");
            return Usage.NONE;
        }
        unknownFields(node, USAGE_FIELDS, "usage: ", mistakes);
        Map<String, Long> counts = new HashMap<>();
        for (String field : USAGE_FIELDS) {
            JsonNode count = node.get(field);
            if (count == null) {
                continue;
            }
            if (!count.isIntegralNumber() || count.asLong() < 0) {
                mistakes.add("usage \"" + field + "\" must be a non-negative whole number");
            } else {
                counts.put(field, count.asLong());
            }
        }
        long input = counts.getOrDefault("inputTokens", 0L);
        long cacheRead = counts.getOrDefault("cachedReadTokens", 0L);
        long cacheWrite = counts.getOrDefault("cacheWriteTokens", 0L);
        long cacheWrite1h = counts.getOrDefault("cacheWrite1hTokens", 0L);
        // the neutral usage counts cached tokens in the input and one-hour writes in the writes, as it prices them
        if (cacheRead + cacheWrite > input) {
            mistakes.add("usage: cachedReadTokens (" + cacheRead + ") and cacheWriteTokens (" + cacheWrite
                    + ") are part of inputTokens (" + input + ") and cannot add up to more");
        }
        if (cacheWrite1h > cacheWrite) {
            mistakes.add("usage: cacheWrite1hTokens (" + cacheWrite1h + ") are part of cacheWriteTokens (" + cacheWrite
                    + ") and cannot be more");
        }
        return new Usage(input, cacheRead, cacheWrite, cacheWrite1h, counts.getOrDefault("outputTokens", 0L),
                counts.getOrDefault("reasoningTokens", 0L), 0, Map.of());
    }

    /**
     * A misspelt field would otherwise be read as left out (arguments {}, zero usage, a default message), and the
     * script would play something else than it says without a word.
     */
    private static void unknownFields(JsonNode node, List<String> known, String where, List<String> mistakes) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                mistakes.add(where + "unknown field \"" + name + "\"; use " + String.join(", ", known));
            }
        }
    }

    private static String write(JsonNode node, ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back", e);
        }
    }
}
