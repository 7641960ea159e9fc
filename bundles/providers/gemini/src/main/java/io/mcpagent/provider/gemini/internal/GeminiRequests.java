package io.mcpagent.provider.gemini.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.CitationPart;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
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
 * A neutral {@link ChatRequest} as the body of {@code generateContent}: instructions (and mid-conversation system
 * messages) hoisted to {@code systemInstruction}; roles {@code user} and {@code model} only, adjacent turns of the same
 * role merged; tool results as {@code functionResponse} parts of a user turn, first and in the order of the calls
 * they answer (Gemini may give calls no id, so name and order are the key); model turns the API returned replayed
 * verbatim from {@link #CONTENT_META}, which carries their {@code thoughtSignature}s.
 */
final class GeminiRequests {
    static final String PROVIDER = "gemini";
    /**
     * {@link Message#providerMeta()} key of a model turn's {@code content}, exactly as the API returned it: Gemini 3
     * rejects a follow-up whose function calls lost their {@code thoughtSignature}, so the turn goes back unchanged.
     */
    static final String CONTENT_META = "gemini.content";
    /** {@link ToolCallPart#providerMeta()} key of the call's {@code thoughtSignature} (a JSON string). */
    static final String SIGNATURE_META = "gemini.thoughtSignature";
    private static final Set<String> THINKING_LEVELS = Set.of("minimal", "low", "medium", "high");

    record Mapped(ObjectNode body, String model) {
    }

    private final ObjectMapper json;
    private final GeminiSettings settings;

    GeminiRequests(ObjectMapper json, GeminiSettings settings) {
        this.json = json;
        this.settings = settings;
    }

    Mapped map(ChatRequest request) {
        ToolChoices.requireToolsForChoice(settings.id(), request);
        String model = request.model() == null || request.model().isBlank() ? settings.defaultModel() : request.model().strip();
        if (!GeminiSettings.validModel(model)) {
            throw invalid("model '" + model + "' is not a Gemini model id such as gemini-2.5-flash");
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode system = json.createArrayNode();
        for (Instruction instruction : request.instructions()) {
            if (!instruction.text().isEmpty()) {
                system.addObject().put("text", instruction.text());
            }
        }
        ArrayNode contents = contents(request.messages(), system);
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", system);
        }
        body.set("contents", contents);

        if (!request.tools().isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (ToolSpec tool : request.tools()) {
                declarations.add(declaration(tool));
            }
            body.putObject("toolConfig").set("functionCallingConfig", functionCalling(request.toolChoice()));
        }

        ObjectNode generation = generationConfig(request);
        if (!generation.isEmpty()) {
            body.set("generationConfig", generation);
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

    private ObjectNode generationConfig(ChatRequest request) {
        GenerationParams params = request.params();
        ObjectNode config = json.createObjectNode();
        if (params.maxOutputTokens() != null) {
            config.put("maxOutputTokens", params.maxOutputTokens());
        }
        if (params.temperature() != null) {
            config.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            config.put("topP", params.topP());
        }
        if (!params.stopSequences().isEmpty()) {
            ArrayNode stops = config.putArray("stopSequences");
            params.stopSequences().forEach(stops::add);
        }
        if (params.seed() != null) {
            if (params.seed() < Integer.MIN_VALUE || params.seed() > Integer.MAX_VALUE) {
                throw invalid("seed " + params.seed() + " does not fit Gemini's 32-bit seed");
            }
            config.put("seed", params.seed().intValue());
        }
        switch (request.responseFormat()) {
            case ResponseFormat.Text text -> {
            }
            case ResponseFormat.JsonObject object -> config.put("responseMimeType", "application/json");
            case ResponseFormat.JsonSchema schema -> {
                JsonNode parsed = parse(schema.schemaJson(), "the response format's JSON schema '" + schema.name() + "'");
                if (!parsed.isObject()) {
                    throw invalid("the response format's JSON schema '" + schema.name() + "' is not a JSON object");
                }
                config.put("responseMimeType", "application/json");
                config.set("responseJsonSchema", parsed);
            }
        }
        ObjectNode thinking = thinkingConfig(request.reasoning());
        if (!thinking.isEmpty()) {
            config.set("thinkingConfig", thinking);
        }
        return config;
    }

    /** A token budget (Gemini 2.5) or an effort as {@code thinkingLevel} (Gemini 3); effort {@code none} is budget 0. */
    private ObjectNode thinkingConfig(ReasoningParams reasoning) {
        ObjectNode thinking = json.createObjectNode();
        if (reasoning != null && reasoning.budgetTokens() != null) {
            thinking.put("thinkingBudget", reasoning.budgetTokens());
        } else if (reasoning != null && reasoning.effort() != null && !reasoning.effort().isBlank()) {
            String effort = reasoning.effort().strip().toLowerCase(Locale.ROOT);
            if (effort.equals("none")) {
                thinking.put("thinkingBudget", 0);
            } else if (THINKING_LEVELS.contains(effort)) {
                thinking.put("thinkingLevel", effort.toUpperCase(Locale.ROOT));
            } else {
                throw invalid("reasoning effort '" + reasoning.effort() + "' unknown to Gemini; use none, minimal, low, medium or high");
            }
        }
        if (settings.includeThoughts()) {
            thinking.put("includeThoughts", true);
        }
        return thinking;
    }

    private ObjectNode functionCalling(ToolChoice choice) {
        ObjectNode config = json.createObjectNode();
        switch (choice) {
            case ToolChoice.Auto auto -> config.put("mode", "AUTO");
            case ToolChoice.None none -> config.put("mode", "NONE");
            case ToolChoice.Required required -> config.put("mode", "ANY");
            case ToolChoice.Named named -> {
                config.put("mode", "ANY");
                config.putArray("allowedFunctionNames").add(named.name());
            }
        }
        return config;
    }

    private ObjectNode declaration(ToolSpec tool) {
        JsonNode schema = parse(tool.inputSchemaJson(), "the input schema of tool '" + tool.name() + "'");
        if (!schema.isObject()) {
            throw invalid("the input schema of tool '" + tool.name() + "' is not a JSON object");
        }
        ObjectNode declaration = json.createObjectNode().put("name", tool.name());
        if (!tool.description().isEmpty()) {
            declaration.put("description", tool.description());
        }
        // parametersJsonSchema takes real JSON Schema; parameters would take only Google's OpenAPI subset
        declaration.set("parametersJsonSchema", schema);
        return declaration;
    }

    // ---- contents -----------------------------------------------------------------------------------------------

    /** One wire turn being built: function responses (ranked by the call they answer) go before the other parts. */
    private static final class Turn {
        final String role;
        final List<ObjectNode> responses = new ArrayList<>();
        final List<Integer> ranks = new ArrayList<>();
        final List<ObjectNode> parts = new ArrayList<>();
        /** Neutral ids of the calls of a model turn, in order. */
        final List<String> callIds = new ArrayList<>();

        Turn(String role) {
            this.role = role;
        }
    }

    private ArrayNode contents(List<Message> messages, ArrayNode system) {
        Map<String, ToolCallPart> calls = new HashMap<>();
        List<Turn> turns = new ArrayList<>();
        Turn lastModel = null;
        for (Message message : messages) {
            if (message.role() == Role.SYSTEM) {
                for (Part part : message.parts()) {
                    if (!(part instanceof TextPart text)) {
                        throw invalid("a system message may hold only text, not " + part.getClass().getSimpleName());
                    }
                    if (!text.text().isEmpty()) {
                        system.addObject().put("text", text.text());
                    }
                }
                continue;
            }
            String role = message.role() == Role.ASSISTANT ? "model" : "user";
            Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
            Turn turn = last != null && last.role.equals(role) ? last : new Turn(role);
            if (message.role() == Role.ASSISTANT) {
                lastModel = turn;
                turn.parts.addAll(modelParts(message));
                for (ToolCallPart call : message.toolCalls()) {
                    calls.put(call.callId(), call);
                    turn.callIds.add(call.callId());
                }
            } else {
                List<String> answered = lastModel == null ? List.of() : lastModel.callIds;
                for (Part part : message.parts()) {
                    if (part instanceof ToolResultPart result) {
                        int rank = answered.indexOf(result.callId());
                        turn.responses.add(functionResponse(result, calls.get(result.callId())));
                        turn.ranks.add(rank < 0 ? Integer.MAX_VALUE : rank);
                    } else {
                        ObjectNode wire = userPart(part, message.role());
                        if (wire != null) {
                            turn.parts.add(wire);
                        }
                    }
                }
            }
            if (turn != last && (!turn.parts.isEmpty() || !turn.responses.isEmpty())) {
                turns.add(turn);
            }
        }
        ArrayNode contents = json.createArrayNode();
        for (Turn turn : turns) {
            ObjectNode content = contents.addObject().put("role", turn.role);
            ArrayNode parts = content.putArray("parts");
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < turn.responses.size(); i++) {
                order.add(i);
            }
            // a stable sort: results of calls not in the previous model turn keep their place after the others
            order.sort(Comparator.comparing(turn.ranks::get));
            order.forEach(i -> parts.add(turn.responses.get(i)));
            turn.parts.forEach(parts::add);
        }
        return contents;
    }

    /**
     * The parts of a model turn: the content the API returned (from {@link #CONTENT_META}) when it still holds the
     * message's tool calls, else rebuilt from the neutral parts, with each call's {@code thoughtSignature}.
     */
    private List<ObjectNode> modelParts(Message message) {
        List<ObjectNode> verbatim = verbatimParts(message);
        if (verbatim != null) {
            return verbatim;
        }
        List<ObjectNode> parts = new ArrayList<>();
        for (Part part : message.parts()) {
            ObjectNode wire = switch (part) {
                case TextPart text -> text.text().isEmpty() ? null : json.createObjectNode().put("text", text.text());
                case RefusalPart refusal -> refusal.text().isEmpty() ? null : json.createObjectNode().put("text", refusal.text());
                case CitationPart citation -> null;
                case MediaPart media -> media(media);
                case ToolCallPart call -> functionCall(call);
                case ReasoningPart reasoning -> thought(reasoning);
                case OpaquePart opaque -> PROVIDER.equals(opaque.provider()) ? object(opaque.rawJson(), "a Gemini part kept from an earlier answer") : null;
                case ToolResultPart result -> throw invalid("tool result '" + result.callId()
                        + "' is in an assistant message; results belong to tool or user messages");
            };
            if (wire != null) {
                parts.add(wire);
            }
        }
        return parts;
    }

    /** The kept content's parts, or null when there is none or its function calls no longer match the message's. */
    private List<ObjectNode> verbatimParts(Message message) {
        String kept = message.providerMeta().get(CONTENT_META);
        if (kept == null) {
            return null;
        }
        JsonNode parts = object(kept, "the Gemini content kept with an assistant message").path("parts");
        if (!parts.isArray()) {
            return null;
        }
        List<ObjectNode> copy = new ArrayList<>();
        List<String> keptCalls = new ArrayList<>();
        for (JsonNode part : parts) {
            if (part instanceof ObjectNode object) {
                copy.add(object.deepCopy());
                if (object.has("functionCall")) {
                    keptCalls.add(object.path("functionCall").path("name").asText());
                }
            }
        }
        List<String> calls = message.toolCalls().stream().map(ToolCallPart::name).toList();
        return keptCalls.equals(calls) ? copy : null;
    }

    private ObjectNode functionCall(ToolCallPart call) {
        ObjectNode part = json.createObjectNode();
        ObjectNode functionCall = part.putObject("functionCall");
        if (call.providerCallId() != null) {
            functionCall.put("id", call.providerCallId());
        }
        functionCall.put("name", call.name());
        functionCall.set("args", RequestJson.argumentsObject(json, call.argumentsJson()));
        String signature = call.providerMeta().get(SIGNATURE_META);
        if (signature != null) {
            part.set("thoughtSignature", parse(signature, "the thoughtSignature of tool call '" + call.callId() + "'"));
        }
        return part;
    }

    /** Gemini's own thought summaries go back with their signature; other providers' reasoning is dropped. */
    private ObjectNode thought(ReasoningPart reasoning) {
        if (!PROVIDER.equals(reasoning.provider())) {
            return null;
        }
        String text = reasoning.text() != null ? reasoning.text() : reasoning.summary() != null ? reasoning.summary() : "";
        if (text.isEmpty() && reasoning.encrypted() == null) {
            return null;
        }
        ObjectNode part = json.createObjectNode().put("text", text).put("thought", true);
        if (reasoning.encrypted() != null) {
            part.put("thoughtSignature", reasoning.encrypted());
        }
        return part;
    }

    private ObjectNode userPart(Part part, Role role) {
        return switch (part) {
            case TextPart text -> text.text().isEmpty() ? null : json.createObjectNode().put("text", text.text());
            case RefusalPart refusal -> refusal.text().isEmpty() ? null : json.createObjectNode().put("text", refusal.text());
            case MediaPart media -> media(media);
            case OpaquePart opaque -> PROVIDER.equals(opaque.provider()) ? object(opaque.rawJson(), "a Gemini part") : null;
            case ToolCallPart call -> throw invalid("tool call '" + call.callId() + "' is in a " + role
                    + " message; tool calls belong to assistant messages");
            // citations and reasoning have no place in a user turn; tool results are mapped by contents()
            default -> null;
        };
    }

    /**
     * {@code functionResponse{id?, name, response:{output|error}}}: Gemini's convention puts a failure under
     * {@code error}; text that is JSON travels as JSON, media as the response's {@code parts} (Gemini 3).
     */
    private ObjectNode functionResponse(ToolResultPart result, ToolCallPart call) {
        String name = call != null ? call.name() : result.toolName();
        if (name == null || name.isBlank()) {
            throw invalid("tool result '" + result.callId() + "' answers no tool call of the conversation and names no"
                    + " tool; Gemini matches results to calls by name");
        }
        StringBuilder text = new StringBuilder();
        ArrayNode media = json.createArrayNode();
        for (Part part : result.content()) {
            switch (part) {
                case TextPart piece -> text.append(text.isEmpty() || piece.text().isEmpty() ? "" : "\n").append(piece.text());
                case MediaPart file -> media.add(media(file));
                default -> throw invalid("tool result '" + result.callId() + "' holds a " + part.getClass().getSimpleName()
                        + "; Gemini takes text and media there");
            }
        }
        ObjectNode part = json.createObjectNode();
        ObjectNode response = part.putObject("functionResponse");
        if (call != null && call.providerCallId() != null) {
            response.put("id", call.providerCallId());
        }
        response.put("name", name);
        response.putObject("response").set(result.isError() ? "error" : "output", value(text.toString()));
        if (!media.isEmpty()) {
            response.set("parts", media);
        }
        return part;
    }

    private JsonNode value(String text) {
        try {
            JsonNode parsed = text.isBlank() ? null : json.readTree(text);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(text) : parsed;
        } catch (JsonProcessingException notJson) {
            return TextNode.valueOf(text);
        }
    }

    private ObjectNode media(MediaPart media) {
        MediaSource where = media.source();
        String mimeType = media.mimeType() == null ? null : media.mimeType().strip().toLowerCase(Locale.ROOT);
        if (where instanceof MediaSource.Url url && url.url().regionMatches(true, 0, "data:", 0, 5)) {
            int comma = url.url().indexOf(',');
            if (comma < 0) {
                throw invalid("a data URL without a comma");
            }
            String meta = url.url().substring(5, comma);
            boolean base64 = meta.endsWith(";base64");
            String declared = (base64 ? meta.substring(0, meta.length() - 7) : meta).split(";")[0].strip();
            String payload = url.url().substring(comma + 1);
            try {
                where = new MediaSource.Inline(base64 ? Base64.getDecoder().decode(payload.strip())
                        : URLDecoder.decode(payload, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw invalid("a data URL with invalid base64: " + e.getMessage());
            }
            mimeType = mimeType != null ? mimeType : declared.isEmpty() ? null : declared.toLowerCase(Locale.ROOT);
        }
        ObjectNode part = json.createObjectNode();
        switch (where) {
            case MediaSource.Inline inline -> {
                byte[] bytes = inline.data();
                part.putObject("inlineData").put("mimeType", mimeType != null ? mimeType : sniff(bytes))
                        .put("data", Base64.getEncoder().encodeToString(bytes));
            }
            case MediaSource.Url url -> fileData(part, mimeType, url.url());
            case MediaSource.ProviderFileRef file -> {
                if (!PROVIDER.equals(file.provider())) {
                    throw invalid("file '" + file.reference() + "' belongs to provider family '" + file.provider()
                            + "'; Gemini reads its own Files API URIs, gs:// and http(s) URLs");
                }
                fileData(part, mimeType, file.reference());
            }
        }
        return part;
    }

    private static void fileData(ObjectNode part, String mimeType, String uri) {
        ObjectNode file = part.putObject("fileData");
        if (mimeType != null) {
            file.put("mimeType", mimeType);
        }
        file.put("fileUri", uri);
    }

    private String sniff(byte[] bytes) {
        String type = MediaSignatures.typeOf(bytes);
        if (type == null) {
            throw invalid("inline media without a mime type that is not recognisably PNG, JPEG, GIF, WebP or PDF; set MediaPart.mimeType");
        }
        return type;
    }

    private ObjectNode object(String text, String what) {
        JsonNode node = parse(text, what);
        if (!(node instanceof ObjectNode object)) {
            throw invalid(what + " is not a JSON object");
        }
        return object.deepCopy();
    }

    private JsonNode parse(String text, String what) {
        return RequestJson.parse(json, settings.id(), text, what);
    }

    private ProviderException invalid(String message) {
        return InvalidRequests.invalid(settings.id(), message);
    }
}
