package io.mcpagent.provider.anthropic.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
import io.mcpagent.api.llm.ProviderError;
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
 * A neutral {@link ChatRequest} as the body of {@code POST /v1/messages}: instructions (and mid-conversation system
 * messages) hoisted to the top-level {@code system}; neutral TOOL messages turned into user messages of
 * {@code tool_result} blocks; adjacent messages of the same role merged with tool results first; tool call ids kept
 * within {@code [a-zA-Z0-9_-]}; Anthropic reasoning replayed unchanged and other providers' reasoning dropped;
 * structured output through {@code output_config.format} or a forced tool.
 */
final class AnthropicRequests {
    static final String PROVIDER = "anthropic";
    static final String JSON_OBJECT_INSTRUCTION = "Answer with a single JSON object and nothing else: no prose, no code fences.";
    private static final Pattern TOOL_ID = Pattern.compile("[a-zA-Z0-9_-]+");
    private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    /**
     * The body to send and what reading the answer needs to know: {@code outputTool} is the forced tool carrying a
     * structured answer (null when none), {@code outputWrapped} says its input wraps a non-object answer in {@code value}.
     */
    record Mapped(ObjectNode body, String model, String outputTool, boolean outputWrapped) {
    }

    private final ObjectMapper json;
    private final AnthropicSettings settings;

    AnthropicRequests(ObjectMapper json, AnthropicSettings settings) {
        this.json = json;
        this.settings = settings;
    }

    Mapped map(ChatRequest request, boolean stream) {
        ToolChoices.requireToolsForChoice(settings.id(), request);
        String model = request.model() == null || request.model().isBlank() ? settings.defaultModel() : request.model();
        ObjectNode body = json.createObjectNode();
        body.put("model", model);

        List<ObjectNode> system = new ArrayList<>();
        for (Instruction instruction : request.instructions()) {
            if (!instruction.text().isEmpty()) {
                system.add(textBlock(instruction.text(), instruction.cache()));
            }
        }
        ArrayNode messages = messages(request.messages(), system);

        ResponseFormat format = request.responseFormat();
        String outputTool = null;
        boolean wrapped = false;
        ObjectNode outputToolSpec = null;
        ObjectNode outputConfig = json.createObjectNode();
        if (format instanceof ResponseFormat.JsonObject) {
            system.add(textBlock(JSON_OBJECT_INSTRUCTION, CacheHint.NONE));
        } else if (format instanceof ResponseFormat.JsonSchema schema) {
            JsonNode parsed = parse(schema.schemaJson(), "the response format's JSON schema '" + schema.name() + "'");
            if (!parsed.isObject()) {
                throw invalid("the response format's JSON schema '" + schema.name() + "' is not a JSON object");
            }
            if (settings.structuredOutputByTool()) {
                outputTool = TOOL_NAME.matcher(schema.name()).matches() ? schema.name() : "json_answer";
                for (ToolSpec tool : request.tools()) {
                    if (tool.name().equals(outputTool)) {
                        throw invalid("the response format '" + outputTool + "' has the name of one of the tools; rename it");
                    }
                }
                wrapped = !"object".equals(parsed.path("type").asText());
                ObjectNode inputSchema;
                if (wrapped) {
                    inputSchema = json.createObjectNode().put("type", "object");
                    inputSchema.putObject("properties").set("value", parsed);
                    inputSchema.putArray("required").add("value");
                } else {
                    inputSchema = (ObjectNode) parsed;
                }
                outputToolSpec = json.createObjectNode().put("name", outputTool)
                        .put("description", "Give your final answer by calling this tool; its input is the answer.");
                outputToolSpec.set("input_schema", inputSchema);
                if (schema.strict()) {
                    outputToolSpec.put("strict", true);
                }
            } else {
                ObjectNode formatNode = outputConfig.putObject("format").put("type", "json_schema");
                formatNode.set("schema", parsed);
            }
        }

        if (!system.isEmpty()) {
            if (system.size() == 1 && !system.get(0).has("cache_control")) {
                body.put("system", system.get(0).get("text").asText());
            } else {
                body.putArray("system").addAll(system);
            }
        }
        body.set("messages", messages);

        GenerationParams params = request.params();
        ReasoningParams reasoning = request.reasoning();
        int maxTokens = params.maxOutputTokens() != null ? params.maxOutputTokens() : settings.defaultMaxTokens();
        ObjectNode thinking = null;
        if (reasoning != null && reasoning.budgetTokens() != null) {
            thinking = json.createObjectNode();
            if (reasoning.budgetTokens() > 0) {
                thinking.put("type", "enabled").put("budget_tokens", reasoning.budgetTokens());
                if (params.maxOutputTokens() == null && maxTokens <= reasoning.budgetTokens()) {
                    maxTokens = reasoning.budgetTokens() + settings.defaultMaxTokens();
                }
            } else {
                thinking.put("type", "disabled");
            }
        } else if (reasoning != null && reasoning.effort() != null && !reasoning.effort().isBlank()) {
            String effort = reasoning.effort().strip().toLowerCase(Locale.ROOT);
            if (effort.equals("none")) {
                thinking = json.createObjectNode().put("type", "disabled");
            } else {
                outputConfig.put("effort", effort);
            }
        }
        body.put("max_tokens", maxTokens);

        ArrayNode tools = json.createArrayNode();
        for (ToolSpec tool : request.tools()) {
            tools.add(tool(tool));
        }
        if (outputToolSpec != null) {
            tools.add(outputToolSpec);
        }
        if (!tools.isEmpty()) {
            body.set("tools", tools);
            body.set("tool_choice", toolChoice(request, outputTool));
        }

        if (params.temperature() != null) {
            body.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            body.put("top_p", params.topP());
        }
        if (!params.stopSequences().isEmpty()) {
            ArrayNode stops = body.putArray("stop_sequences");
            params.stopSequences().forEach(stops::add);
        }
        if (thinking != null) {
            body.set("thinking", thinking);
        }
        if (!outputConfig.isEmpty()) {
            body.set("output_config", outputConfig);
        }
        if (stream) {
            body.put("stream", true);
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
        return new Mapped(body, model, outputTool, wrapped);
    }

    private ObjectNode toolChoice(ChatRequest request, String outputTool) {
        ObjectNode choice = json.createObjectNode();
        ToolChoice wanted = request.toolChoice();
        if (outputTool != null) {
            if (request.tools().isEmpty() || wanted instanceof ToolChoice.None) {
                choice.put("type", "tool").put("name", outputTool);
            } else if (wanted instanceof ToolChoice.Named named) {
                choice.put("type", "tool").put("name", named.name());
            } else {
                choice.put("type", "any");
            }
        } else {
            switch (wanted) {
                case ToolChoice.Auto auto -> choice.put("type", "auto");
                case ToolChoice.None none -> choice.put("type", "none");
                case ToolChoice.Required required -> choice.put("type", "any");
                case ToolChoice.Named named -> choice.put("type", "tool").put("name", named.name());
            }
        }
        if (Boolean.FALSE.equals(request.parallelToolCalls()) && !choice.path("type").asText().equals("none")) {
            choice.put("disable_parallel_tool_use", true);
        }
        return choice;
    }

    private ObjectNode tool(ToolSpec tool) {
        JsonNode schema = parse(tool.inputSchemaJson(), "the input schema of tool '" + tool.name() + "'");
        if (!schema.isObject()) {
            throw invalid("the input schema of tool '" + tool.name() + "' is not a JSON object");
        }
        ObjectNode inputSchema = (ObjectNode) schema;
        if (!inputSchema.has("type")) {
            inputSchema = json.createObjectNode().put("type", "object");
            inputSchema.setAll((ObjectNode) schema);
        } else if (!"object".equals(inputSchema.get("type").asText())) {
            throw invalid("the input schema of tool '" + tool.name() + "' must have type \"object\" (Anthropic requires it)");
        }
        ObjectNode node = json.createObjectNode().put("name", tool.name());
        if (!tool.description().isEmpty()) {
            node.put("description", tool.description());
        }
        node.set("input_schema", inputSchema);
        if (tool.strict()) {
            node.put("strict", true);
        }
        return node;
    }

    private ArrayNode messages(List<Message> neutral, List<ObjectNode> system) {
        Map<String, String> toolIds = new HashMap<>();
        List<String> roles = new ArrayList<>();
        List<List<ObjectNode>> contents = new ArrayList<>();
        for (Message message : neutral) {
            if (message.role() == Role.SYSTEM) {
                for (Part part : message.parts()) {
                    if (part instanceof TextPart text && !text.text().isEmpty()) {
                        system.add(textBlock(text.text(), text.cache()));
                    } else if (!(part instanceof TextPart)) {
                        throw invalid("a system message may hold only text, not " + part.getClass().getSimpleName());
                    }
                }
                continue;
            }
            String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
            List<ObjectNode> blocks = new ArrayList<>();
            for (Part part : message.parts()) {
                ObjectNode block = block(part, message.role(), toolIds);
                if (block != null) {
                    blocks.add(block);
                }
            }
            if (blocks.isEmpty()) {
                continue;
            }
            if (!roles.isEmpty() && roles.get(roles.size() - 1).equals(role)) {
                contents.get(contents.size() - 1).addAll(blocks);
            } else {
                roles.add(role);
                contents.add(new ArrayList<>(blocks));
            }
        }
        ArrayNode messages = json.createArrayNode();
        for (int i = 0; i < roles.size(); i++) {
            List<ObjectNode> blocks = contents.get(i);
            if (roles.get(i).equals("user")) {
                List<ObjectNode> ordered = new ArrayList<>();
                blocks.stream().filter(b -> b.path("type").asText().equals("tool_result")).forEach(ordered::add);
                blocks.stream().filter(b -> !b.path("type").asText().equals("tool_result")).forEach(ordered::add);
                blocks = ordered;
            }
            ObjectNode message = messages.addObject().put("role", roles.get(i));
            message.putArray("content").addAll(blocks);
        }
        return messages;
    }

    private ObjectNode block(Part part, Role role, Map<String, String> toolIds) {
        boolean assistant = role == Role.ASSISTANT;
        return switch (part) {
            case TextPart text -> text.text().isEmpty() ? null : textBlock(text.text(), text.cache());
            case RefusalPart refusal -> refusal.text().isEmpty() ? null : textBlock(refusal.text(), CacheHint.NONE);
            case CitationPart citation -> null;
            case MediaPart media -> {
                if (assistant) {
                    throw invalid("an assistant message cannot carry " + media.kind() + " media for Anthropic");
                }
                yield media(media);
            }
            case ToolCallPart call -> {
                if (!assistant) {
                    throw invalid("tool call '" + call.callId() + "' is in a " + role + " message; tool calls belong to assistant messages");
                }
                String id = wireId(call.providerCallId() != null ? call.providerCallId() : call.callId(), toolIds.size());
                toolIds.put(call.callId(), id);
                ObjectNode block = json.createObjectNode().put("type", "tool_use").put("id", id).put("name", call.name());
                block.set("input", RequestJson.argumentsObject(json, call.argumentsJson()));
                yield block;
            }
            case ToolResultPart result -> {
                if (assistant) {
                    throw invalid("tool result '" + result.callId() + "' is in an assistant message; results belong to tool or user messages");
                }
                yield toolResult(result, toolIds);
            }
            case ReasoningPart reasoning -> assistant ? reasoning(reasoning) : null;
            case OpaquePart opaque -> {
                if (!PROVIDER.equals(opaque.provider())) {
                    yield null;
                }
                JsonNode raw = parse(opaque.rawJson(), "an Anthropic block kept from an earlier answer");
                yield raw instanceof ObjectNode object ? object.deepCopy() : null;
            }
        };
    }

    private ObjectNode reasoning(ReasoningPart reasoning) {
        if (!PROVIDER.equals(reasoning.provider())) {
            return null;
        }
        if (reasoning.redacted()) {
            return reasoning.encrypted() == null ? null
                    : json.createObjectNode().put("type", "redacted_thinking").put("data", reasoning.encrypted());
        }
        if (reasoning.signature() == null) {
            return null;
        }
        return json.createObjectNode().put("type", "thinking")
                .put("thinking", reasoning.text() == null ? "" : reasoning.text()).put("signature", reasoning.signature());
    }

    private ObjectNode toolResult(ToolResultPart result, Map<String, String> toolIds) {
        ObjectNode block = json.createObjectNode().put("type", "tool_result")
                .put("tool_use_id", toolIds.getOrDefault(result.callId(), wireId(result.callId(), toolIds.size())));
        List<Part> content = result.content();
        if (content.size() == 1 && content.get(0) instanceof TextPart text && text.cache() == CacheHint.NONE) {
            block.put("content", text.text());
        } else if (!content.isEmpty()) {
            ArrayNode blocks = block.putArray("content");
            for (Part part : content) {
                switch (part) {
                    case TextPart text -> {
                        if (!text.text().isEmpty()) {
                            blocks.add(textBlock(text.text(), text.cache()));
                        }
                    }
                    case MediaPart media -> blocks.add(media(media));
                    case OpaquePart opaque when PROVIDER.equals(opaque.provider()) ->
                            blocks.add(parse(opaque.rawJson(), "an Anthropic block in tool result '" + result.callId() + "'"));
                    default -> throw invalid("tool result '" + result.callId() + "' holds a "
                            + part.getClass().getSimpleName() + "; Anthropic takes text, images and documents there");
                }
            }
            if (blocks.isEmpty()) {
                block.remove("content");
            }
        }
        if (result.isError()) {
            block.put("is_error", true);
        }
        return block;
    }

    private ObjectNode media(MediaPart media) {
        if (media.kind() == MediaKind.AUDIO || media.kind() == MediaKind.VIDEO) {
            throw invalid("Anthropic accepts images and documents, not " + media.kind().name().toLowerCase(Locale.ROOT));
        }
        boolean image = media.kind() == MediaKind.IMAGE;
        ObjectNode block = json.createObjectNode().put("type", image ? "image" : "document");
        ObjectNode source = json.createObjectNode();
        MediaSource where = media.source();
        if (where instanceof MediaSource.Url url && url.url().regionMatches(true, 0, "data:", 0, 5)) {
            DataUrl data = DataUrl.parse(url.url());
            where = new MediaSource.Inline(data.bytes());
            media = new MediaPart(media.kind(), where, media.mimeType() != null ? media.mimeType() : data.mimeType(),
                    media.name(), media.detail());
        }
        switch (where) {
            case MediaSource.Inline inline -> {
                byte[] bytes = inline.data();
                String type = media.mimeType() != null ? media.mimeType().toLowerCase(Locale.ROOT).strip() : sniff(bytes, image);
                if (image) {
                    if (!IMAGE_TYPES.contains(type)) {
                        throw invalid("image type '" + type + "' is not one Anthropic accepts (image/jpeg, image/png, image/gif, image/webp)");
                    }
                    source.put("type", "base64").put("media_type", type).put("data", Base64.getEncoder().encodeToString(bytes));
                } else if (type.equals("application/pdf")) {
                    source.put("type", "base64").put("media_type", type).put("data", Base64.getEncoder().encodeToString(bytes));
                } else if (type.startsWith("text/")) {
                    source.put("type", "text").put("media_type", "text/plain").put("data", new String(bytes, StandardCharsets.UTF_8));
                } else {
                    throw invalid("document type '" + type + "' is not one Anthropic accepts (application/pdf, text/plain)");
                }
            }
            case MediaSource.Url url -> source.put("type", "url").put("url", url.url());
            case MediaSource.ProviderFileRef file -> {
                if (!PROVIDER.equals(file.provider())) {
                    throw invalid("file '" + file.reference() + "' belongs to provider family '" + file.provider()
                            + "'; Anthropic can read only its own files (Files API)");
                }
                source.put("type", "file").put("file_id", file.reference());
            }
        }
        block.set("source", source);
        if (!image && media.name() != null && !media.name().isBlank()) {
            block.put("title", media.name());
        }
        return block;
    }

    private String sniff(byte[] bytes, boolean image) {
        String type = MediaSignatures.typeOf(bytes);
        if (type == null && image) {
            throw invalid("the image has no mime type and is not recognisably PNG, JPEG, GIF or WebP");
        }
        return type == null ? "text/plain" : type;
    }

    private ObjectNode textBlock(String text, CacheHint cache) {
        ObjectNode block = json.createObjectNode().put("type", "text").put("text", text);
        if (cache == CacheHint.EPHEMERAL) {
            ObjectNode control = block.putObject("cache_control").put("type", "ephemeral");
            if (!settings.cacheTtl().isEmpty()) {
                control.put("ttl", settings.cacheTtl());
            }
        }
        return block;
    }

    /** A tool call id Anthropic accepts ({@code [a-zA-Z0-9_-]+}), the same one for a call and its result. */
    static String wireId(String id, int ordinal) {
        if (id != null && TOOL_ID.matcher(id).matches()) {
            return id;
        }
        String cleaned = id == null ? "" : id.replaceAll("[^a-zA-Z0-9_-]", "_");
        return cleaned.isEmpty() ? "call_" + ordinal : cleaned;
    }

    private JsonNode parse(String text, String what) {
        return RequestJson.parse(json, settings.id(), text, what);
    }

    private ProviderException invalid(String message) {
        return InvalidRequests.invalid(settings.id(), message);
    }

    /** A {@code data:} URL: its mime type and bytes. */
    private record DataUrl(String mimeType, byte[] bytes) {
        static DataUrl parse(String url) {
            int comma = url.indexOf(',');
            if (comma < 0) {
                throw new ProviderException(ProviderError.of(ProviderError.Category.INVALID_REQUEST, "data URL without a comma"));
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
                throw new ProviderException(ProviderError.of(ProviderError.Category.INVALID_REQUEST,
                        "data URL with invalid base64: " + e.getMessage()));
            }
        }
    }
}
