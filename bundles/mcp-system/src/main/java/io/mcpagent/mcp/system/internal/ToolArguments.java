package io.mcpagent.mcp.system.internal;

import java.util.TreeSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.mcp.ToolDescriptor;
import io.mcpagent.api.runtime.ParserMessages;

/**
 * The arguments of one call, checked against the names the tool's input schema declares. Typed getters treat an
 * absent argument and JSON {@code null} alike: every argument of these tools is optional.
 */
final class ToolArguments {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonNode values;

    private ToolArguments(JsonNode values) {
        this.values = values;
    }

    /** Parses the arguments text (blank means none) and refuses names the tool's input schema does not declare. */
    static ToolArguments parse(String argumentsJson, ToolDescriptor tool) throws ToolArgumentException {
        if (argumentsJson == null || argumentsJson.isBlank()) {
            return new ToolArguments(JSON.createObjectNode());
        }
        JsonNode values;
        try {
            values = JSON.readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            throw new ToolArgumentException("the arguments are not valid JSON: "
                    + ParserMessages.withoutSource(e.getOriginalMessage()));
        }
        if (!values.isObject()) {
            throw new ToolArgumentException("the arguments must be a JSON object, not " + type(values));
        }
        Set<String> accepted = declaredNames(tool);
        for (String name : (Iterable<String>) values::fieldNames) {
            if (!accepted.contains(name)) {
                throw new ToolArgumentException("unknown argument '" + name + "'; " + tool.name()
                        + (accepted.isEmpty() ? " takes no arguments" : " takes " + String.join(", ", accepted)));
            }
        }
        return new ToolArguments(values);
    }

    Optional<String> text(String name) throws ToolArgumentException {
        JsonNode value = values.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new ToolArgumentException("'" + name + "' must be a string, not " + type(value));
        }
        return Optional.of(value.asText());
    }

    OptionalInt integer(String name, int min, int max) throws ToolArgumentException {
        JsonNode value = values.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber()) {
            throw new ToolArgumentException("'" + name + "' must be a whole number, not " + type(value));
        }
        if (!value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw new ToolArgumentException("'" + name + "' must be from " + min + " to " + max + ", not "
                    + value.asText());
        }
        return OptionalInt.of(value.intValue());
    }

    private static Set<String> declaredNames(ToolDescriptor tool) {
        try {
            Set<String> names = new TreeSet<>();
            JSON.readTree(tool.inputSchemaJson()).path("properties").fieldNames().forEachRemaining(names::add);
            return names;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the input schema of tool '" + tool.name() + "' is not valid JSON", e);
        }
    }

    private static String type(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
