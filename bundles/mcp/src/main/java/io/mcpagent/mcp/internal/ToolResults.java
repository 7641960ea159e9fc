package io.mcpagent.mcp.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.MediaKind;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.mcp.ToolCallResult;

/** MCP tool results as platform {@link ToolCallResult}s: text, images, audio, resources and structured content. */
final class ToolResults {
    private ToolResults() {
    }

    /**
     * The result as the model sees it. A result the spec does not allow (not an object, {@code content} missing or no
     * array, {@code isError} not a boolean) is an error result saying what is wrong, with whatever content it has:
     * read leniently, {@code "isError": "yes"} was a success and {@code "content": {...}} showed its fields as blocks.
     */
    static ToolCallResult from(JsonNode result, JsonNode outputSchema) {
        if (!result.isObject()) {
            return error("The server's tools/call result is malformed: it is " + shown(result) + ", not an object.");
        }
        List<Part> parts = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        JsonNode contents = result.get("content");
        if (contents != null && contents.isArray()) {
            for (JsonNode content : contents) {
                parts.add(part(content));
            }
        } else if (contents != null && !contents.isNull()) {
            malformed.add("its content is " + shown(contents) + ", not an array");
        } else if (!result.hasNonNull("structuredContent")) {
            malformed.add("it has no content");
        }
        JsonNode isErrorValue = result.get("isError");
        boolean isError = isErrorValue != null && isErrorValue.isBoolean() && isErrorValue.booleanValue();
        if (isErrorValue != null && !isErrorValue.isNull() && !isErrorValue.isBoolean()) {
            malformed.add("its isError is " + shown(isErrorValue) + ", not true or false");
        }
        if (!malformed.isEmpty()) {
            parts.add(0, TextPart.of("The server's tools/call result is malformed: " + String.join("; ", malformed)
                    + ". Taken as an error."));
            isError = true;
        }
        JsonNode structured = result.get("structuredContent");
        String structuredJson = null;
        if (structured != null && !structured.isNull()) {
            structuredJson = structured.toString();
            if (outputSchema != null && !isError) {
                String mismatch = SchemaCheck.firstMismatch(outputSchema, structured);
                if (mismatch != null) {
                    parts.add(TextPart.of("The tool's structuredContent does not match its outputSchema: " + mismatch));
                    isError = true;
                }
            }
        } else if (outputSchema != null && !isError) {
            parts.add(TextPart.of("The tool declares an outputSchema but returned no structuredContent."));
            isError = true;
        }
        return new ToolCallResult(parts, structuredJson, isError);
    }

    /** A value of the server's as its JSON type and its first characters: it is shown to the model. */
    private static String shown(JsonNode value) {
        String json = value.toString();
        return value.getNodeType().name().toLowerCase(Locale.ROOT) + " " + (json.length() <= 80 ? json
                : json.substring(0, 80) + "...");
    }

    static ToolCallResult error(String message) {
        return new ToolCallResult(List.of(TextPart.of(message)), null, true);
    }

    /**
     * One content block as the model sees it. A block that is no object or has no string type is named and quoted:
     * read leniently, each was "[content of type '' not shown]", which hid what the server sent and that it was wrong.
     */
    private static Part part(JsonNode content) {
        if (!content.isObject()) {
            return TextPart.of("[malformed content block: " + shown(content) + ", not an object]");
        }
        JsonNode typeValue = content.get("type");
        if (typeValue == null || !typeValue.isTextual()) {
            return TextPart.of("[malformed content block: " + (typeValue == null ? "it has no type"
                    : "its type is " + shown(typeValue) + ", not a string") + ": " + shown(content) + "]");
        }
        String type = typeValue.textValue();
        return switch (type) {
            case "text" -> TextPart.of(content.path("text").asText(""));
            case "image" -> media(MediaKind.IMAGE, content.path("data").asText(""), content.path("mimeType").asText(null));
            case "audio" -> media(MediaKind.AUDIO, content.path("data").asText(""), content.path("mimeType").asText(null));
            case "resource_link" -> TextPart.of("[resource " + content.path("uri").asText("") + "]"
                    + (content.hasNonNull("description") ? " " + content.path("description").asText() : ""));
            case "resource" -> {
                JsonNode resource = content.path("resource");
                if (resource.hasNonNull("text")) {
                    yield TextPart.of(resource.path("text").asText());
                }
                String mime = resource.path("mimeType").asText("application/octet-stream");
                yield media(mime.startsWith("image/") ? MediaKind.IMAGE : mime.startsWith("audio/") ? MediaKind.AUDIO
                        : MediaKind.DOCUMENT, resource.path("blob").asText(""), mime);
            }
            default -> TextPart.of("[content of type '" + type + "' not shown]");
        };
    }

    private static Part media(MediaKind kind, String base64, String mimeType) {
        try {
            return new MediaPart(kind, new MediaSource.Inline(Base64.getMimeDecoder().decode(base64)), mimeType, null, null);
        } catch (IllegalArgumentException invalid) {
            return TextPart.of("[" + kind.name().toLowerCase() + " with invalid base64 data]");
        }
    }
}
