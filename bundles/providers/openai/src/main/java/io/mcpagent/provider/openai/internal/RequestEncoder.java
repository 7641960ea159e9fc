package io.mcpagent.provider.openai.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Part;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.RefusalPart;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolChoice;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;
import io.mcpagent.api.runtime.ParserMessages;
import io.mcpagent.provider.support.InvalidRequests;
import io.mcpagent.provider.support.ToolChoices;

/**
 * A neutral {@link ChatRequest} as the Chat Completions request body, shaped by the dialect: system instructions
 * as one {@code system}/{@code developer} message, the history with assistant tool calls and one {@code tool}
 * message per result, tools, tool choice, response format, generation parameters, reasoning and the streaming flags.
 * Input the dialect cannot carry fails with INVALID_REQUEST, before anything is sent.
 */
final class RequestEncoder {
    /** Prefix of the content of a tool result marked {@code isError}: Chat Completions has no error flag. */
    static final String TOOL_ERROR_PREFIX = "Error: ";

    /** How many distinct JSON texts (tool schemas, response schemas, extras) are remembered as checked. */
    static final int MAX_CHECKED = 1024;

    private final OpenAiSettings settings;
    private final ObjectMapper mapper;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    RequestEncoder(OpenAiSettings settings, ObjectMapper mapper) {
        this.settings = settings;
        this.mapper = mapper;
    }

    ObjectNode encode(ChatRequest request, String model, boolean stream) {
        ToolChoices.requireToolsForChoice(settings.id(), request);
        Dialect dialect = settings.dialect();
        ObjectNode body = mapper.createObjectNode();
        if (settings.modelInBody()) {
            body.put("model", model);
        }
        body.set("messages", messages(request));

        List<ToolSpec> tools = request.tools();
        ToolChoice choice = request.toolChoice();
        if (!tools.isEmpty()) {
            if (dialect.toolChoice != Dialect.ToolChoiceSupport.FULL && choice instanceof ToolChoice.Named named) {
                // No named choice on this server: offer only that tool and require a call.
                tools = tools.stream().filter(t -> t.name().equals(named.name())).toList();
                if (tools.isEmpty()) {
                    throw invalid("tool_choice names '" + named.name() + "', which is not among the request's tools");
                }
                choice = new ToolChoice.Required();
            }
            if (dialect.toolChoice == Dialect.ToolChoiceSupport.NONE && choice instanceof ToolChoice.None) {
                tools = List.of(); // Ollama ignores tool_choice: not offering the tools is the only way to forbid calls
            }
        }
        if (!tools.isEmpty()) {
            ArrayNode array = body.putArray("tools");
            for (ToolSpec tool : tools) {
                ObjectNode function = array.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                if (!tool.description().isEmpty()) {
                    function.put("description", tool.description());
                }
                function.putRawValue("parameters", json(tool.inputSchemaJson(), "input schema of tool '" + tool.name() + "'"));
                if (tool.strict()) {
                    function.put("strict", true);
                }
            }
            toolChoice(body, choice, dialect);
            Boolean parallel = request.parallelToolCalls();
            switch (dialect.parallelCalls) {
                case AS_ASKED -> {
                    if (parallel != null) {
                        body.put("parallel_tool_calls", parallel);
                    }
                }
                case ON_UNLESS_REFUSED -> body.put("parallel_tool_calls", parallel == null || parallel);
                case NEVER -> { }
            }
        }

        switch (request.responseFormat()) {
            case ResponseFormat.Text text -> { }
            case ResponseFormat.JsonObject object -> body.putObject("response_format").put("type", "json_object");
            case ResponseFormat.JsonSchema schema -> {
                ObjectNode format = body.putObject("response_format").put("type", "json_schema");
                ObjectNode jsonSchema = format.putObject("json_schema").put("name", schema.name());
                jsonSchema.putRawValue("schema", json(schema.schemaJson(), "response schema '" + schema.name() + "'"));
                jsonSchema.put("strict", schema.strict());
            }
        }

        GenerationParams params = request.params();
        if (params.maxOutputTokens() != null) {
            body.put(settings.maxTokensField(), params.maxOutputTokens());
        }
        if (params.temperature() != null) {
            body.put("temperature", params.temperature());
        }
        if (params.topP() != null) {
            body.put("top_p", params.topP());
        }
        if (!params.stopSequences().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            params.stopSequences().forEach(stop::add);
        }
        if (params.seed() != null) {
            body.put("seed", params.seed());
        }
        if (request.reasoning() != null) {
            String effort = request.reasoning().effort();
            Integer budget = request.reasoning().budgetTokens();
            switch (dialect.reasoning) {
                case EFFORT -> {
                    if (effort != null && !effort.isBlank()) {
                        body.put("reasoning_effort", effort.trim().toLowerCase(Locale.ROOT));
                    }
                }
                case OPENROUTER -> {
                    if (effort != null && !effort.isBlank()) {
                        body.putObject("reasoning").put("effort", effort.trim().toLowerCase(Locale.ROOT));
                    } else if (budget != null) {
                        body.putObject("reasoning").put("max_tokens", budget);
                    }
                }
                case NONE -> { }
            }
        }
        if (stream) {
            body.put("stream", true);
            if (settings.streamUsage()) {
                body.putObject("stream_options").put("include_usage", true);
            }
        }
        for (Map.Entry<String, String> extra : request.providerExtras().entrySet()) {
            body.putRawValue(extra.getKey(), json(extra.getValue(), "provider extra '" + extra.getKey() + "'"));
        }
        return body;
    }

    private static void toolChoice(ObjectNode body, ToolChoice choice, Dialect dialect) {
        if (dialect.toolChoice == Dialect.ToolChoiceSupport.NONE) {
            return;
        }
        switch (choice) {
            case ToolChoice.Auto auto -> { } // the API's default with tools; vLLM refuses an explicit "auto" unless started for it
            case ToolChoice.None none -> body.put("tool_choice", "none");
            case ToolChoice.Required required -> body.put("tool_choice", "required");
            case ToolChoice.Named named -> body.putObject("tool_choice").put("type", "function")
                    .putObject("function").put("name", named.name());
        }
    }

    private ArrayNode messages(ChatRequest request) {
        ArrayNode messages = mapper.createArrayNode();
        if (!request.instructions().isEmpty()) {
            messages.addObject().put("role", settings.systemRole()).put("content",
                    request.instructions().stream().map(Instruction::text).collect(Collectors.joining("\n\n")));
        }
        // The provider's call ids by neutral id, so results answer the ids the server gave.
        Map<String, String> providerIds = new HashMap<>();
        for (Message message : request.messages()) {
            for (ToolCallPart call : message.toolCalls()) {
                if (call.providerCallId() != null && !call.providerCallId().isBlank()) {
                    providerIds.put(call.callId(), call.providerCallId());
                }
            }
        }
        // Media returned by tools, sent in a user message after the run of tool messages they belong to.
        List<MediaPart> pendingMedia = new ArrayList<>();
        for (Message message : request.messages()) {
            switch (message.role()) {
                case SYSTEM -> {
                    flush(messages, pendingMedia);
                    messages.addObject().put("role", settings.systemRole()).put("content", message.text());
                }
                case USER, TOOL -> userOrTool(messages, message, providerIds, pendingMedia);
                case ASSISTANT -> {
                    flush(messages, pendingMedia);
                    assistant(messages, message, providerIds);
                }
            }
        }
        flush(messages, pendingMedia);
        if (messages.isEmpty()) {
            throw invalid("the request has no messages");
        }
        return messages;
    }

    private void flush(ArrayNode messages, List<MediaPart> pendingMedia) {
        if (!pendingMedia.isEmpty()) {
            ArrayNode parts = messages.addObject().put("role", "user").putArray("content");
            for (MediaPart media : pendingMedia) {
                parts.add(media(media));
            }
            pendingMedia.clear();
        }
    }

    private void userOrTool(ArrayNode messages, Message message, Map<String, String> providerIds, List<MediaPart> mediaFromResults) {
        List<Part> content = new ArrayList<>();
        for (Part part : message.parts()) {
            if (part instanceof ToolResultPart result) {
                ObjectNode tool = messages.addObject().put("role", "tool")
                        .put("tool_call_id", providerIds.getOrDefault(result.callId(), result.callId()));
                StringBuilder text = new StringBuilder();
                for (Part piece : result.content()) {
                    if (piece instanceof TextPart t) {
                        text.append(text.isEmpty() ? "" : "\n").append(t.text());
                    } else if (piece instanceof MediaPart media) {
                        // Tool messages take text only: the media follows in a user message.
                        mediaFromResults.add(media);
                        text.append(text.isEmpty() ? "" : "\n").append("[").append(media.kind().name().toLowerCase(Locale.ROOT))
                                .append(" attached in the next user message]");
                    }
                }
                tool.put("content", result.isError() ? TOOL_ERROR_PREFIX + text : text.toString());
            } else if (message.role() == io.mcpagent.api.llm.Role.USER) {
                content.add(part);
            } else if (!(part instanceof TextPart t && t.text().isBlank())) {
                throw invalid("a TOOL message may hold only tool results, not " + part.getClass().getSimpleName());
            }
        }
        if (content.isEmpty()) {
            return;
        }
        flush(messages, mediaFromResults);
        ObjectNode user = messages.addObject().put("role", "user");
        if (message.name() != null && !message.name().isBlank()) {
            user.put("name", message.name());
        }
        if (content.size() == 1 && content.get(0) instanceof TextPart only) {
            user.put("content", only.text());
            return;
        }
        ArrayNode parts = user.putArray("content");
        for (Part part : content) {
            switch (part) {
                case TextPart text -> parts.addObject().put("type", "text").put("text", text.text());
                case MediaPart media -> parts.add(media(media));
                default -> { } // reasoning, citations, opaque blocks of other providers have no Chat Completions form
            }
        }
        if (parts.isEmpty()) {
            messages.remove(messages.size() - 1);
        }
    }

    private void assistant(ArrayNode messages, Message message, Map<String, String> providerIds) {
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        if (message.name() != null && !message.name().isBlank()) {
            assistant.put("name", message.name());
        }
        StringBuilder text = new StringBuilder();
        StringBuilder refusal = new StringBuilder();
        ArrayNode calls = mapper.createArrayNode();
        for (Part part : message.parts()) {
            switch (part) {
                case TextPart t -> text.append(t.text());
                case RefusalPart r -> refusal.append(r.text());
                case ToolCallPart call -> {
                    ObjectNode node = calls.addObject()
                            .put("id", providerIds.getOrDefault(call.callId(), call.callId())).put("type", "function");
                    // The exact argument text the model produced, never re-serialised (§9.3 item 6).
                    node.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
                }
                case MediaPart media -> throw invalid("an assistant message cannot carry " + media.kind() + " in Chat Completions");
                default -> { } // reasoning of the model is not replayed to Chat Completions
            }
        }
        if (!text.isEmpty()) {
            assistant.put("content", text.toString());
        } else if (!calls.isEmpty() || !refusal.isEmpty()) {
            assistant.putNull("content");
        } else {
            assistant.put("content", "");
        }
        if (!refusal.isEmpty()) {
            assistant.put("refusal", refusal.toString());
        }
        if (!calls.isEmpty()) {
            assistant.set("tool_calls", calls);
        }
    }

    private ObjectNode media(MediaPart media) {
        ObjectNode part = mapper.createObjectNode();
        MediaSource source = media.source();
        switch (media.kind()) {
            case IMAGE -> {
                String url = switch (source) {
                    case MediaSource.Url u -> {
                        if (!settings.dialect().remoteImageUrls && !u.url().startsWith("data:")) {
                            throw invalid(settings.dialect().id + " accepts only inline images (data URLs), not " + u.url()
                                    + ": fetch the image and pass its bytes");
                        }
                        yield u.url();
                    }
                    case MediaSource.Inline inline -> dataUrl(media.mimeType() == null ? "image/png" : media.mimeType(), inline.data());
                    case MediaSource.ProviderFileRef ref -> throw invalid("Chat Completions takes images by URL or inline, not as file "
                            + ref.reference());
                };
                ObjectNode image = part.put("type", "image_url").putObject("image_url").put("url", url);
                if (media.detail() != null && !media.detail().isBlank()) {
                    image.put("detail", media.detail());
                }
            }
            case AUDIO -> {
                if (!(source instanceof MediaSource.Inline inline)) {
                    throw invalid("Chat Completions takes audio only inline (wav or mp3 bytes)");
                }
                String mime = media.mimeType() == null ? "" : media.mimeType().toLowerCase(Locale.ROOT);
                String format = mime.contains("mp3") || mime.contains("mpeg") ? "mp3" : "wav";
                part.put("type", "input_audio").putObject("input_audio")
                        .put("data", Base64.getEncoder().encodeToString(inline.data())).put("format", format);
            }
            case DOCUMENT -> {
                ObjectNode file = part.put("type", "file").putObject("file");
                switch (source) {
                    case MediaSource.Inline inline -> file.put("filename", media.name() == null ? "document.pdf" : media.name())
                            .put("file_data", dataUrl(media.mimeType() == null ? "application/pdf" : media.mimeType(), inline.data()));
                    case MediaSource.ProviderFileRef ref -> file.put("file_id", ref.reference());
                    case MediaSource.Url u -> throw invalid("Chat Completions takes documents inline or as uploaded file ids, not by URL ("
                            + u.url() + "): fetch the document and pass its bytes");
                }
            }
            case VIDEO -> throw invalid("Chat Completions does not take video");
        }
        return part;
    }

    private static String dataUrl(String mime, byte[] data) {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(data);
    }

    /**
     * {@code text} checked to be one JSON value, written into the body as it is. A tool loop offers the same tools on
     * every turn: each text is checked once (remembered by value, up to {@link #MAX_CHECKED} of them), never parsed
     * into a tree only to be serialised again.
     */
    private RawValue json(String text, String what) {
        if (!checked.contains(text)) {
            try (JsonParser parser = mapper.createParser(text)) {
                if (parser.nextToken() == null) {
                    throw invalid(what + " is empty");
                }
                parser.skipChildren();
                if (parser.nextToken() != null) {
                    throw invalid(what + " is not valid JSON: more follows the value at " + parser.currentLocation()
                            .offsetDescription());
                }
            } catch (JsonProcessingException e) {
                throw invalid(what + " is not valid JSON: " + ParserMessages.withoutSource(e.getOriginalMessage()));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // reading a String does no I/O
            }
            if (checked.size() >= MAX_CHECKED) {
                checked.clear();
            }
            checked.add(text);
        }
        return new RawValue(text);
    }

    private ProviderException invalid(String message) {
        return InvalidRequests.invalid(settings.id(), message);
    }
}
