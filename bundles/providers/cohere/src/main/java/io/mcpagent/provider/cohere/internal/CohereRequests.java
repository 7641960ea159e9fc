package io.mcpagent.provider.cohere.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * A neutral {@link ChatRequest} as the body of {@code POST /v2/chat}: instructions as a leading {@code system} message;
 * an assistant turn with tool calls as {@code tool_plan} (its text) plus {@code tool_calls} (arguments sent back as
 * the exact text the model produced); every tool result as its own {@code tool} message, right after the assistant
 * turn and before any user text; Cohere's own thinking replayed as {@code thinking} content, other providers'
 * reasoning dropped; a JSON schema as {@code response_format: {type: json_object, json_schema}} (a schema whose top
 * level is not an object is wrapped in {@code value}, as Cohere requires an object there).
 */
final class CohereRequests {
    static final String PROVIDER = "cohere";
    /** Cohere's docs: without an explicit request for JSON a json_object answer may never end. */
    static final String JSON_INSTRUCTION = "Answer with a single JSON object and nothing else.";
    static final String ERROR_PREFIX = "Error: ";
    static final String FAILED_WITHOUT_OUTPUT = "Error: the tool call failed";
    static final String NO_OUTPUT = "(no output)";
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
    private static final Set<String> IMAGE_DETAILS = Set.of("auto", "low", "high");

    /** The body to send; {@code answerWrapped} says the JSON answer wraps a non-object value in {@code value}. */
    record Mapped(ObjectNode body, String model, boolean answerWrapped) {
    }

    private final ObjectMapper json;
    private final CohereSettings settings;

    CohereRequests(ObjectMapper json, CohereSettings settings) {
        this.json = json;
        this.settings = settings;
    }

    Mapped map(ChatRequest request, boolean stream) {
        ToolChoices.requireToolsForChoice(settings.id(), request);
        String model = request.model() == null || request.model().isBlank() ? settings.defaultModel() : request.model();
        ObjectNode body = json.createObjectNode();
        body.put("model", model);

        List<String> system = new ArrayList<>();
        for (Instruction instruction : request.instructions()) {
            if (!instruction.text().isEmpty()) {
                system.add(instruction.text());
            }
        }
        ObjectNode responseFormat = null;
        boolean wrapped = false;
        if (request.responseFormat() instanceof ResponseFormat.JsonObject) {
            responseFormat = json.createObjectNode().put("type", "json_object");
        } else if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
            JsonNode parsed = parse(schema.schemaJson(), "the response format's JSON schema '" + schema.name() + "'");
            if (!parsed.isObject()) {
                throw invalid("the response format's JSON schema '" + schema.name() + "' is not a JSON object");
            }
            wrapped = !"object".equals(parsed.path("type").asText());
            responseFormat = json.createObjectNode().put("type", "json_object");
            if (wrapped) {
                ObjectNode wrapper = responseFormat.putObject("json_schema").put("type", "object");
                wrapper.putObject("properties").set("value", parsed);
                wrapper.putArray("required").add("value");
            } else {
                responseFormat.set("json_schema", parsed);
            }
        }
        if (responseFormat != null) {
            if (!request.tools().isEmpty()) {
                throw invalid("Cohere does not take a JSON response format together with tools; ask for the JSON answer"
                        + " in a call without tools");
            }
            system.add(JSON_INSTRUCTION);
        }
        ArrayNode messages = body.putArray("messages");
        if (!system.isEmpty()) {
            messages.addObject().put("role", "system").put("content", String.join("\n\n", system));
        }
        messages(request.messages(), messages);

        List<ToolSpec> offered = request.tools();
        ToolChoice choice = request.toolChoice();
        if (choice instanceof ToolChoice.Named named) {
            // Cohere cannot name a tool: offer only that one and require a call
            offered = offered.stream().filter(tool -> tool.name().equals(named.name())).toList();
            if (offered.isEmpty()) {
                throw invalid("tool choice names '" + named.name() + "', which is not among the request's tools");
            }
        }
        if (!offered.isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : offered) {
                tools.add(tool(tool));
            }
            if (settings.strictTools() || offered.stream().anyMatch(ToolSpec::strict)) {
                body.put("strict_tools", true);
            }
            switch (choice) {
                case ToolChoice.Required required -> body.put("tool_choice", "REQUIRED");
                case ToolChoice.Named named -> body.put("tool_choice", "REQUIRED");
                case ToolChoice.None none -> body.put("tool_choice", "NONE");
                case ToolChoice.Auto auto -> {
                    // omitting tool_choice lets the model decide
                }
            }
        }
        if (responseFormat != null) {
            body.set("response_format", responseFormat);
        }

        GenerationParams params = request.params();
        if (params.maxOutputTokens() != null) {
            body.put("max_tokens", params.maxOutputTokens());
        }
        if (params.temperature() != null) {
            body.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            body.put("p", params.topP());
        }
        if (!params.stopSequences().isEmpty()) {
            ArrayNode stops = body.putArray("stop_sequences");
            params.stopSequences().forEach(stops::add);
        }
        if (params.seed() != null) {
            body.put("seed", params.seed());
        }
        ObjectNode thinking = thinking(request.reasoning());
        if (thinking != null) {
            body.set("thinking", thinking);
        }
        if (stream) {
            body.put("stream", true);
        }
        for (Map.Entry<String, String> extra : request.providerExtras().entrySet()) {
            body.set(extra.getKey(), parse(extra.getValue(), "providerExtras '" + extra.getKey() + "'"));
        }
        return new Mapped(body, model, wrapped);
    }

    /** A token budget enables thinking with that budget (0 disables it); an effort other than "none" enables it. */
    private ObjectNode thinking(ReasoningParams reasoning) {
        if (reasoning == null) {
            return null;
        }
        if (reasoning.budgetTokens() != null) {
            return reasoning.budgetTokens() > 0
                    ? json.createObjectNode().put("type", "enabled").put("token_budget", reasoning.budgetTokens())
                    : json.createObjectNode().put("type", "disabled");
        }
        if (reasoning.effort() == null || reasoning.effort().isBlank()) {
            return null;
        }
        boolean off = reasoning.effort().strip().toLowerCase(Locale.ROOT).equals("none");
        return json.createObjectNode().put("type", off ? "disabled" : "enabled");
    }

    private ObjectNode tool(ToolSpec tool) {
        JsonNode schema = parse(tool.inputSchemaJson(), "the input schema of tool '" + tool.name() + "'");
        if (!schema.isObject()) {
            throw invalid("the input schema of tool '" + tool.name() + "' is not a JSON object");
        }
        ObjectNode node = json.createObjectNode().put("type", "function");
        ObjectNode function = node.putObject("function").put("name", tool.name());
        if (!tool.description().isEmpty()) {
            function.put("description", tool.description());
        }
        function.set("parameters", schema);
        return node;
    }

    private void messages(List<Message> neutral, ArrayNode out) {
        Map<String, String> wireIds = new HashMap<>();
        for (Message message : neutral) {
            switch (message.role()) {
                case SYSTEM -> {
                    List<String> texts = new ArrayList<>();
                    for (Part part : message.parts()) {
                        if (!(part instanceof TextPart text)) {
                            throw invalid("a system message may hold only text, not " + part.getClass().getSimpleName());
                        }
                        if (!text.text().isEmpty()) {
                            texts.add(text.text());
                        }
                    }
                    if (!texts.isEmpty()) {
                        out.addObject().put("role", "system").put("content", String.join("\n\n", texts));
                    }
                }
                case ASSISTANT -> assistant(message, out, wireIds);
                case USER, TOOL -> userOrTool(message, out, wireIds);
            }
        }
    }

    private void assistant(Message message, ArrayNode out, Map<String, String> wireIds) {
        List<ObjectNode> content = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        ArrayNode calls = json.createArrayNode();
        for (Part part : message.parts()) {
            switch (part) {
                case TextPart text -> {
                    if (!text.text().isEmpty()) {
                        texts.add(text.text());
                        content.add(textBlock(text.text()));
                    }
                }
                case RefusalPart refusal -> {
                    if (!refusal.text().isEmpty()) {
                        texts.add(refusal.text());
                        content.add(textBlock(refusal.text()));
                    }
                }
                case ReasoningPart reasoning -> {
                    if (PROVIDER.equals(reasoning.provider()) && reasoning.text() != null && !reasoning.text().isEmpty()) {
                        content.add(json.createObjectNode().put("type", "thinking").put("thinking", reasoning.text()));
                    }
                }
                case ToolCallPart call -> {
                    String id = call.providerCallId() != null && !call.providerCallId().isBlank() ? call.providerCallId()
                            : call.callId().isBlank() ? "call_" + wireIds.size() : call.callId();
                    wireIds.put(call.callId(), id);
                    ObjectNode wire = calls.addObject().put("id", id).put("type", "function");
                    wire.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
                }
                case OpaquePart opaque -> {
                    if (PROVIDER.equals(opaque.provider())) {
                        content.add(opaqueBlock(opaque));
                    }
                }
                case CitationPart citation -> {
                    // citations describe an earlier answer; the model does not need them back
                }
                case MediaPart media -> throw invalid("an assistant message cannot carry " + media.kind()
                        + " media for Cohere");
                case ToolResultPart result -> throw invalid("tool result '" + result.callId()
                        + "' is in an assistant message; results belong to tool or user messages");
            }
        }
        ObjectNode wire = json.createObjectNode().put("role", "assistant");
        if (!calls.isEmpty()) {
            // with tool calls the assistant's text is its plan; thinking stays in content
            if (!texts.isEmpty()) {
                wire.put("tool_plan", String.join("\n", texts));
            }
            wire.set("tool_calls", calls);
            List<ObjectNode> kept = content.stream().filter(block -> !block.path("type").asText().equals("text")).toList();
            if (!kept.isEmpty()) {
                wire.putArray("content").addAll(kept);
            }
        } else if (content.isEmpty()) {
            return;
        } else if (content.size() == 1 && content.get(0).path("type").asText().equals("text")) {
            wire.put("content", content.get(0).get("text").asText());
        } else {
            wire.putArray("content").addAll(content);
        }
        out.add(wire);
    }

    /** Tool results first, each in its own tool message (Cohere wants them right after the calls), then user content. */
    private void userOrTool(Message message, ArrayNode out, Map<String, String> wireIds) {
        List<ObjectNode> content = new ArrayList<>();
        for (Part part : message.parts()) {
            switch (part) {
                case ToolResultPart result -> out.add(toolMessage(result, wireIds));
                case TextPart text -> {
                    if (!text.text().isEmpty()) {
                        content.add(textBlock(text.text()));
                    }
                }
                case RefusalPart refusal -> {
                    if (!refusal.text().isEmpty()) {
                        content.add(textBlock(refusal.text()));
                    }
                }
                case MediaPart media -> content.add(image(media));
                case OpaquePart opaque -> {
                    if (PROVIDER.equals(opaque.provider())) {
                        content.add(opaqueBlock(opaque));
                    }
                }
                case ToolCallPart call -> throw invalid("tool call '" + call.callId() + "' is in a " + message.role()
                        + " message; tool calls belong to assistant messages");
                case ReasoningPart reasoning -> {
                    // reasoning belongs to the assistant's turns
                }
                case CitationPart citation -> {
                    // nothing to send for a citation outside an answer
                }
            }
        }
        if (content.isEmpty()) {
            return;
        }
        ObjectNode wire = out.addObject().put("role", "user");
        if (content.size() == 1 && content.get(0).path("type").asText().equals("text")) {
            wire.put("content", content.get(0).get("text").asText());
        } else {
            wire.putArray("content").addAll(content);
        }
    }

    /** Cohere has no error flag on a tool result: a failed call's content says so in its first words. */
    private ObjectNode toolMessage(ToolResultPart result, Map<String, String> wireIds) {
        ObjectNode message = json.createObjectNode().put("role", "tool")
                .put("tool_call_id", wireIds.getOrDefault(result.callId(), result.callId()));
        List<ObjectNode> blocks = new ArrayList<>();
        for (Part part : result.content()) {
            switch (part) {
                case TextPart text -> {
                    if (!text.text().isEmpty()) {
                        blocks.add(textBlock(text.text()));
                    }
                }
                case OpaquePart opaque when PROVIDER.equals(opaque.provider()) -> blocks.add(opaqueBlock(opaque));
                default -> throw invalid("tool result '" + result.callId() + "' holds a " + part.getClass().getSimpleName()
                        + "; Cohere takes text and documents there");
            }
        }
        if (result.isError()) {
            ObjectNode firstText = blocks.stream().filter(b -> b.path("type").asText().equals("text")).findFirst().orElse(null);
            if (firstText == null) {
                blocks.add(0, textBlock(FAILED_WITHOUT_OUTPUT));
            } else {
                firstText.put("text", ERROR_PREFIX + firstText.get("text").asText());
            }
        } else if (blocks.isEmpty()) {
            blocks.add(textBlock(NO_OUTPUT));
        }
        message.putArray("content").addAll(blocks);
        return message;
    }

    private ObjectNode image(MediaPart media) {
        if (media.kind() != MediaKind.IMAGE) {
            throw invalid("Cohere's chat takes images, not " + media.kind().name().toLowerCase(Locale.ROOT)
                    + " (documents for grounding go in providerExtras 'documents')");
        }
        String url = switch (media.source()) {
            case MediaSource.Url link -> link.url();
            case MediaSource.Inline inline -> {
                byte[] bytes = inline.data();
                String type = media.mimeType() != null ? media.mimeType().strip().toLowerCase(Locale.ROOT) : sniff(bytes);
                if (!IMAGE_TYPES.contains(type)) {
                    throw invalid("image type '" + type + "' is not one Cohere accepts (image/jpeg, image/png, image/gif, image/webp)");
                }
                yield "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
            }
            case MediaSource.ProviderFileRef file -> throw invalid("file '" + file.reference()
                    + "' is held by a provider; Cohere takes images as URLs or inline bytes");
        };
        ObjectNode block = json.createObjectNode().put("type", "image_url");
        ObjectNode image = block.putObject("image_url").put("url", url);
        if (media.detail() != null && IMAGE_DETAILS.contains(media.detail().strip().toLowerCase(Locale.ROOT))) {
            image.put("detail", media.detail().strip().toLowerCase(Locale.ROOT));
        }
        return block;
    }

    private String sniff(byte[] bytes) {
        String type = MediaSignatures.typeOf(bytes);
        if (type == null || !type.startsWith("image/")) {
            throw invalid("the image has no mime type and is not recognisably PNG, JPEG, GIF or WebP");
        }
        return type;
    }

    private ObjectNode textBlock(String text) {
        return json.createObjectNode().put("type", "text").put("text", text);
    }

    private ObjectNode opaqueBlock(OpaquePart opaque) {
        JsonNode raw = parse(opaque.rawJson(), "a Cohere content block kept from an earlier turn");
        if (!raw.isObject()) {
            throw invalid("a Cohere content block kept from an earlier turn is not a JSON object: " + opaque.rawJson());
        }
        return (ObjectNode) raw.deepCopy();
    }

    private JsonNode parse(String text, String what) {
        return RequestJson.parse(json, settings.id(), text, what);
    }

    private ProviderException invalid(String message) {
        return InvalidRequests.invalid(settings.id(), message);
    }
}
