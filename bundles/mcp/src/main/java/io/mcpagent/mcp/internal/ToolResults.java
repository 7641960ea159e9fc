package io.mcpagent.mcp.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

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

    static ToolCallResult from(JsonNode result, JsonNode outputSchema) {
        List<Part> parts = new ArrayList<>();
        for (JsonNode content : result.path("content")) {
            Part part = part(content);
            if (part != null) {
                parts.add(part);
            }
        }
        boolean isError = result.path("isError").asBoolean(false);
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

    static ToolCallResult error(String message) {
        return new ToolCallResult(List.of(TextPart.of(message)), null, true);
    }

    private static Part part(JsonNode content) {
        String type = content.path("type").asText("");
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
