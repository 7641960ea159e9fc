package io.mcpagent.provider.bedrock.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mcpagent.api.llm.CacheHint;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.MediaKind;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.OpaquePart;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ReasoningParams;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolChoice;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.provider.support.InvalidRequests;
import io.mcpagent.provider.support.MediaSignatures;
import io.mcpagent.provider.support.RequestJson;
import io.mcpagent.provider.support.ToolChoices;

/**
 * A neutral {@link ChatRequest} as the body of {@code POST /model/{modelId}/converse(-stream)}: instructions (and
 * mid-conversation system messages) hoisted to {@code system[]}; every content block a union of exactly one key;
 * neutral TOOL messages turned into user messages of {@code toolResult} blocks; adjacent messages of the same role
 * merged with tool results first; empty text dropped; tool use ids kept within {@code [a-zA-Z0-9_-]{1,64}}; Bedrock
 * reasoning replayed with its signature and other providers' reasoning dropped; structured output through
 * {@code outputConfig.textFormat} with the schema as a JSON string.
 */
final class BedrockRequests {
    static final String PROVIDER = "bedrock";
    static final String JSON_OBJECT_INSTRUCTION = "Answer with a single JSON object and nothing else: no prose, no code fences.";
    private static final Pattern TOOL_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Map<String, String> IMAGE_FORMATS = Map.of("image/png", "png", "image/jpeg", "jpeg",
            "image/gif", "gif", "image/webp", "webp");
    private static final Map<String, String> DOCUMENT_FORMATS = Map.of("application/pdf", "pdf", "text/csv", "csv",
            "application/msword", "doc",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
            "application/vnd.ms-excel", "xls",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
            "text/html", "html", "text/plain", "txt", "text/markdown", "md");

    /** The body to send and the model id it goes to (the path, not the body, names the model). */
    record Mapped(ObjectNode body, String model) {
    }

    private final ObjectMapper json;
    private final BedrockSettings settings;

    BedrockRequests(ObjectMapper json, BedrockSettings settings) {
        this.json = json;
        this.settings = settings;
    }

    Mapped map(ChatRequest request) {
        ToolChoices.requireToolsForChoice(settings.id(), request);
        String model = request.model() == null || request.model().isBlank() ? settings.defaultModel() : request.model().strip();
        ObjectNode body = json.createObjectNode();

        ArrayNode system = json.createArrayNode();
        for (Instruction instruction : request.instructions()) {
            addText(system, instruction.text(), instruction.cache());
        }
        Conversation conversation = messages(request.messages(), system);
        if (request.responseFormat() instanceof ResponseFormat.JsonObject) {
            addText(system, JSON_OBJECT_INSTRUCTION, CacheHint.NONE);
        }
        if (!system.isEmpty()) {
            body.set("system", system);
        }
        body.set("messages", conversation.messages());

        GenerationParams params = request.params();
        ObjectNode inference = json.createObjectNode();
        if (params.maxOutputTokens() != null) {
            inference.put("maxTokens", params.maxOutputTokens());
        }
        if (params.temperature() != null) {
            inference.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            inference.put("topP", params.topP());
        }
        if (!params.stopSequences().isEmpty()) {
            ArrayNode stops = inference.putArray("stopSequences");
            params.stopSequences().forEach(stops::add);
        }
        if (!inference.isEmpty()) {
            body.set("inferenceConfig", inference);
        }

        ObjectNode toolConfig = toolConfig(request, conversation.usesTools());
        if (toolConfig != null) {
            body.set("toolConfig", toolConfig);
        }

        ObjectNode outputConfig = json.createObjectNode();
        if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
            JsonNode parsed = parse(schema.schemaJson(), "the response format's JSON schema '" + schema.name() + "'");
            if (!parsed.isObject()) {
                throw invalid("the response format's JSON schema '" + schema.name() + "' is not a JSON object");
            }
            ObjectNode jsonSchema = outputConfig.putObject("textFormat").put("type", "json_schema")
                    .putObject("structure").putObject("jsonSchema");
            // Bedrock takes the schema as a JSON string, not as an object
            jsonSchema.put("schema", parsed.toString()).put("name", schema.name());
        }
        ReasoningParams reasoning = request.reasoning();
        if (reasoning != null && reasoning.budgetTokens() != null) {
            ObjectNode thinking = body.putObject("additionalModelRequestFields").putObject("thinking");
            if (reasoning.budgetTokens() > 0) {
                thinking.put("type", "enabled").put("budget_tokens", reasoning.budgetTokens());
            } else {
                thinking.put("type", "disabled");
            }
        } else if (reasoning != null && reasoning.effort() != null && !reasoning.effort().isBlank()) {
            outputConfig.put("effort", reasoning.effort().strip().toLowerCase(Locale.ROOT));
        }
        if (!outputConfig.isEmpty()) {
            body.set("outputConfig", outputConfig);
        }

        for (Map.Entry<String, String> extra : request.providerExtras().entrySet()) {
            JsonNode value = parse(extra.getValue(), "providerExtras '" + extra.getKey() + "'");
            JsonNode existing = body.get(extra.getKey());
            if (existing instanceof ObjectNode existingObject && value instanceof ObjectNode valueObject) {
                existingObject.setAll(valueObject);
            } else {
                body.set(extra.getKey(), value);
            }
        }
        return new Mapped(body, model);
    }

    /**
     * Tools and the choice among them. Converse has no "none" choice: the tools are left out then, unless the
     * conversation already holds tool blocks, which Bedrock accepts only with a {@code toolConfig}.
     */
    private ObjectNode toolConfig(ChatRequest request, boolean conversationUsesTools) {
        ToolChoice choice = request.toolChoice();
        if (request.tools().isEmpty()) {
            return null;
        }
        if (choice instanceof ToolChoice.None && !conversationUsesTools) {
            return null;
        }
        ObjectNode config = json.createObjectNode();
        ArrayNode tools = config.putArray("tools");
        for (ToolSpec tool : request.tools()) {
            JsonNode schema = parse(tool.inputSchemaJson(), "the input schema of tool '" + tool.name() + "'");
            if (!schema.isObject()) {
                throw invalid("the input schema of tool '" + tool.name() + "' is not a JSON object");
            }
            ObjectNode spec = tools.addObject().putObject("toolSpec").put("name", tool.name());
            if (!tool.description().isEmpty()) {
                spec.put("description", tool.description());
            }
            spec.putObject("inputSchema").set("json", schema);
            if (tool.strict()) {
                spec.put("strict", true);
            }
        }
        switch (choice) {
            case ToolChoice.Required required -> config.putObject("toolChoice").putObject("any");
            case ToolChoice.Named named -> config.putObject("toolChoice").putObject("tool").put("name", named.name());
            // auto is Converse's default; left out because some models reject an explicit toolChoice
            case ToolChoice.Auto auto -> { }
            case ToolChoice.None none -> { }
        }
        return config;
    }

    private record Conversation(ArrayNode messages, boolean usesTools) {
    }

    private Conversation messages(List<Message> neutral, ArrayNode system) {
        Map<String, String> toolIds = new HashMap<>();
        List<String> roles = new ArrayList<>();
        List<List<ObjectNode>> contents = new ArrayList<>();
        boolean usesTools = false;
        for (Message message : neutral) {
            if (message.role() == Role.SYSTEM) {
                for (Part part : message.parts()) {
                    if (!(part instanceof TextPart text)) {
                        throw invalid("a system message may hold only text, not " + part.getClass().getSimpleName());
                    }
                    addText(system, text.text(), text.cache());
                }
                continue;
            }
            String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
            List<ObjectNode> blocks = new ArrayList<>();
            for (Part part : message.parts()) {
                blocks.addAll(blocks(part, message.role(), toolIds));
            }
            if (blocks.isEmpty()) {
                continue;
            }
            usesTools |= blocks.stream().anyMatch(b -> b.has("toolUse") || b.has("toolResult"));
            if (!roles.isEmpty() && roles.get(roles.size() - 1).equals(role)) {
                contents.get(contents.size() - 1).addAll(blocks);
            } else {
                roles.add(role);
                contents.add(new ArrayList<>(blocks));
            }
        }
        if (!roles.isEmpty() && roles.get(0).equals("assistant")) {
            // Converse answers a ValidationException; said before anything is sent, as the other mapping errors are
            throw invalid("the conversation starts with an assistant message; Bedrock needs it to start with a user"
                    + " message (give the first turn as the user's, or as instructions)");
        }
        ArrayNode messages = json.createArrayNode();
        for (int i = 0; i < roles.size(); i++) {
            List<ObjectNode> blocks = contents.get(i);
            if (roles.get(i).equals("user")) {
                List<ObjectNode> ordered = new ArrayList<>();
                blocks.stream().filter(b -> b.has("toolResult")).forEach(ordered::add);
                blocks.stream().filter(b -> !b.has("toolResult")).forEach(ordered::add);
                blocks = ordered;
                if (blocks.stream().anyMatch(b -> b.has("document")) && blocks.stream().noneMatch(b -> b.has("text"))) {
                    throw invalid("a user message with a document needs a text part too (Bedrock requires it)");
                }
            }
            ObjectNode message = messages.addObject().put("role", roles.get(i));
            message.putArray("content").addAll(blocks);
        }
        return new Conversation(messages, usesTools);
    }

    /** The content blocks of one part: none (dropped), one, or two (text followed by its cache point). */
    private List<ObjectNode> blocks(Part part, Role role, Map<String, String> toolIds) {
        boolean assistant = role == Role.ASSISTANT;
        List<ObjectNode> blocks = new ArrayList<>();
        switch (part) {
            case TextPart text -> {
                if (!text.text().isEmpty()) {
                    blocks.add(json.createObjectNode().put("text", text.text()));
                    if (text.cache() == CacheHint.EPHEMERAL) {
                        blocks.add(cachePoint());
                    }
                }
            }
            case RefusalPart refusal -> {
                if (!refusal.text().isEmpty()) {
                    blocks.add(json.createObjectNode().put("text", refusal.text()));
                }
            }
            case CitationPart citation -> { }
            case MediaPart media -> {
                if (assistant) {
                    throw invalid("an assistant message cannot carry " + media.kind() + " media; Bedrock takes media in user turns only");
                }
                blocks.add(media(media));
            }
            case ToolCallPart call -> {
                if (!assistant) {
                    throw invalid("tool call '" + call.callId() + "' is in a " + role + " message; tool calls belong to assistant messages");
                }
                String id = wireId(call.providerCallId() != null ? call.providerCallId() : call.callId(), toolIds.size());
                toolIds.put(call.callId(), id);
                ObjectNode toolUse = json.createObjectNode();
                toolUse.putObject("toolUse").put("toolUseId", id).put("name", call.name()).set("input", RequestJson.argumentsObject(json, call.argumentsJson()));
                blocks.add(toolUse);
            }
            case ToolResultPart result -> {
                if (assistant) {
                    throw invalid("tool result '" + result.callId() + "' is in an assistant message; results belong to tool or user messages");
                }
                blocks.add(toolResult(result, toolIds));
            }
            case ReasoningPart reasoning -> {
                ObjectNode replay = assistant ? reasoning(reasoning) : null;
                if (replay != null) {
                    blocks.add(replay);
                }
            }
            case OpaquePart opaque -> {
                if (PROVIDER.equals(opaque.provider())) {
                    JsonNode raw = parse(opaque.rawJson(), "a Bedrock content block kept from an earlier answer");
                    if (raw instanceof ObjectNode object) {
                        blocks.add(object.deepCopy());
                    }
                }
            }
        }
        return blocks;
    }

    private ObjectNode cachePoint() {
        ObjectNode block = json.createObjectNode();
        block.putObject("cachePoint").put("type", "default");
        return block;
    }

    private void addText(ArrayNode system, String text, CacheHint cache) {
        if (text.isEmpty()) {
            return;
        }
        system.addObject().put("text", text);
        if (cache == CacheHint.EPHEMERAL) {
            system.add(cachePoint());
        }
    }

    /** Bedrock's own reasoning, replayed unchanged (Claude needs its signature back during tool loops). */
    private ObjectNode reasoning(ReasoningPart reasoning) {
        if (!PROVIDER.equals(reasoning.provider())) {
            return null;
        }
        ObjectNode block = json.createObjectNode();
        if (reasoning.redacted()) {
            if (reasoning.encrypted() == null) {
                return null;
            }
            block.putObject("reasoningContent").put("redactedContent", reasoning.encrypted());
            return block;
        }
        if (reasoning.signature() == null) {
            return null;
        }
        block.putObject("reasoningContent").putObject("reasoningText")
                .put("text", reasoning.text() == null ? "" : reasoning.text()).put("signature", reasoning.signature());
        return block;
    }

    private ObjectNode toolResult(ToolResultPart result, Map<String, String> toolIds) {
        ObjectNode block = json.createObjectNode();
        ObjectNode toolResult = block.putObject("toolResult")
                .put("toolUseId", toolIds.getOrDefault(result.callId(), wireId(result.callId(), toolIds.size())));
        ArrayNode content = toolResult.putArray("content");
        for (Part part : result.content()) {
            switch (part) {
                case TextPart text -> {
                    if (!text.text().isEmpty()) {
                        content.addObject().put("text", text.text());
                    }
                }
                case MediaPart media -> content.add(media(media));
                case OpaquePart opaque when PROVIDER.equals(opaque.provider()) ->
                        content.add(parse(opaque.rawJson(), "a Bedrock block in tool result '" + result.callId() + "'"));
                default -> throw invalid("tool result '" + result.callId() + "' holds a "
                        + part.getClass().getSimpleName() + "; Bedrock takes text, images and documents there");
            }
        }
        toolResult.put("status", result.isError() ? "error" : "success");
        return block;
    }

    private ObjectNode media(MediaPart media) {
        if (media.kind() == MediaKind.AUDIO || media.kind() == MediaKind.VIDEO) {
            throw invalid("this adapter sends images and documents to Bedrock, not " + media.kind().name().toLowerCase(Locale.ROOT));
        }
        boolean image = media.kind() == MediaKind.IMAGE;
        MediaSource where = media.source();
        String mimeType = media.mimeType() == null ? null : media.mimeType().toLowerCase(Locale.ROOT).strip();
        if (where instanceof MediaSource.Url url && url.url().regionMatches(true, 0, "data:", 0, 5)) {
            DataUrl data = DataUrl.parse(url.url(), settings.id());
            where = new MediaSource.Inline(data.bytes());
            mimeType = mimeType != null ? mimeType : data.mimeType();
        }
        ObjectNode source = json.createObjectNode();
        switch (where) {
            case MediaSource.Inline inline -> {
                byte[] bytes = inline.data();
                mimeType = mimeType != null ? mimeType : sniff(bytes, image);
                source.put("bytes", Base64.getEncoder().encodeToString(bytes));
            }
            case MediaSource.Url url -> throw invalid("Bedrock takes media as bytes or from S3, not from the URL "
                    + url.url() + "; fetch it and send it inline");
            case MediaSource.ProviderFileRef file -> {
                if (!PROVIDER.equals(file.provider()) || !file.reference().startsWith("s3://")) {
                    throw invalid("file '" + file.reference() + "' is not an s3:// object of provider family bedrock; "
                            + "Bedrock reads media inline or from S3");
                }
                source.putObject("s3Location").put("uri", file.reference());
            }
        }
        ObjectNode block = json.createObjectNode();
        ObjectNode inner = block.putObject(image ? "image" : "document");
        String format = format(mimeType, image);
        inner.put("format", format);
        if (!image) {
            inner.put("name", documentName(media.name(), format));
        }
        inner.set("source", source);
        return block;
    }

    private String format(String mimeType, boolean image) {
        if (mimeType == null) {
            throw invalid("the " + (image ? "image" : "document") + " has no mime type; name it (its format is part of the request)");
        }
        String format = (image ? IMAGE_FORMATS : DOCUMENT_FORMATS).get(mimeType.split(";")[0].strip());
        if (format == null) {
            throw invalid((image ? "image" : "document") + " type '" + mimeType + "' is not one Bedrock accepts ("
                    + String.join(", ", (image ? IMAGE_FORMATS : DOCUMENT_FORMATS).keySet().stream().sorted().toList()) + ")");
        }
        return format;
    }

    /** Bedrock allows letters, digits, single spaces, hyphens, parentheses and square brackets in document names. */
    private static String documentName(String name, String format) {
        String cleaned = name == null ? "" : name.replaceAll("[^A-Za-z0-9\\s()\\[\\]-]", "-").replaceAll("\\s+", " ").strip();
        return cleaned.isEmpty() ? "document-" + format : cleaned;
    }

    private String sniff(byte[] bytes, boolean image) {
        String type = MediaSignatures.typeOf(bytes);
        if (type == null && image) {
            throw invalid("the image has no mime type and is not recognisably PNG, JPEG, GIF or WebP");
        }
        return type == null ? "text/plain" : type;
    }

    /**
     * A tool use id Bedrock accepts ({@code [a-zA-Z0-9_-]{1,64}}), the same one for a call and its result: other
     * characters become {@code _}, and an overlong id keeps its start and a hash of the whole so it stays unique.
     */
    static String wireId(String id, int ordinal) {
        if (id != null && TOOL_ID.matcher(id).matches()) {
            return id;
        }
        String cleaned = id == null ? "" : id.replaceAll("[^a-zA-Z0-9_-]", "_");
        if (cleaned.isEmpty()) {
            return "call_" + ordinal;
        }
        if (cleaned.length() > 64) {
            cleaned = cleaned.substring(0, 55) + "_" + HexFormat.of().toHexDigits(id.hashCode());
        }
        return cleaned;
    }

    private JsonNode parse(String text, String what) {
        return RequestJson.parse(json, settings.id(), text, what);
    }

    private ProviderException invalid(String message) {
        return InvalidRequests.invalid(settings.id(), message);
    }

    /** A {@code data:} URL: its mime type and bytes. */
    private record DataUrl(String mimeType, byte[] bytes) {
        static DataUrl parse(String url, String providerId) {
            int comma = url.indexOf(',');
            if (comma < 0) {
                throw InvalidRequests.invalid(providerId, "data URL without a comma");
            }
            String meta = url.substring(5, comma);
            String payload = url.substring(comma + 1);
            boolean base64 = meta.endsWith(";base64");
            String mime = (base64 ? meta.substring(0, meta.length() - 7) : meta).split(";")[0].strip();
            try {
                byte[] bytes = base64 ? Base64.getDecoder().decode(payload.strip())
                        : URLDecoder.decode(payload, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                return new DataUrl(mime.isEmpty() ? null : mime.toLowerCase(Locale.ROOT), bytes);
            } catch (IllegalArgumentException e) {
                throw InvalidRequests.invalid(providerId, "data URL with invalid base64: " + e.getMessage());
            }
        }
    }
}
