package io.mcpagent.provider.bedrock.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.StopReason;
import io.mcpagent.api.llm.StreamEvent;
import io.mcpagent.api.llm.StreamHandler;
import io.mcpagent.provider.support.AnswerText;
import io.mcpagent.provider.support.MalformedAnswers;
import io.mcpagent.provider.support.EventStreamDecoder;
import io.mcpagent.provider.support.StreamProgress;

/**
 * One ConverseStream answer: turns the event-stream messages ({@code messageStart}, {@code contentBlockStart},
 * {@code contentBlockDelta}, {@code contentBlockStop}, {@code messageStop}, {@code metadata}) into neutral
 * {@link StreamEvent}s (Bedrock's {@code contentBlockIndex} is the neutral block index) and accumulates the Converse
 * answer they describe, so that both paths give the same {@link ChatResponse}. Usage arrives in {@code metadata}, after
 * {@code messageStop}: the {@link StreamEvent.MessageEnd} is sent after it, as the stream's last event.
 */
final class BedrockStream {
    private final ObjectMapper json;
    private final String model;
    private final StreamHandler out;
    private final StreamProgress progress;
    private final BedrockErrors errors;
    private final String providerId;
    /** The provider's secrets now (its key), masked in a malformed answer kept in its error. */
    private final Supplier<List<String>> secrets;
    private final String requestId;
    private final Map<Integer, Block> blocks = new TreeMap<>();
    private boolean started;
    private String stopReason;
    private boolean stopped;
    private JsonNode usage;
    private JsonNode metrics;
    private boolean ended;

    private enum Kind { TEXT, TOOL, REASONING, CITATIONS }

    private static final class Block {
        Kind kind;
        final StringBuilder text = new StringBuilder();
        final StringBuilder signature = new StringBuilder();
        final StringBuilder redacted = new StringBuilder();
        final ArrayNode citations;
        String toolUseId;
        String name;
        boolean closed;

        Block(Kind kind, ArrayNode citations) {
            this.kind = kind;
            this.citations = citations;
        }
    }

    /** @param progress counts what the stream keeps back (signatures, citations); {@code out} notes what it hands on */
    BedrockStream(ObjectMapper json, String model, StreamHandler out, BedrockErrors errors, String providerId,
                  Supplier<List<String>> secrets, String requestId, StreamProgress progress) {
        this.json = json;
        this.progress = progress;
        this.model = model;
        this.out = out;
        this.errors = errors;
        this.providerId = providerId;
        this.secrets = secrets;
        this.requestId = requestId;
    }

    /** Whether {@code messageStop} arrived: the answer is complete even if {@code metadata} never comes. */
    boolean stopped() {
        return stopped;
    }

    void onMessage(EventStreamDecoder.Message message) {
        String messageType = message.header(":message-type");
        if ("exception".equals(messageType)) {
            ProviderError error = errors.streamException(message.header(":exception-type"), message.payloadText(), requestId);
            throw failed(error, null);
        }
        if ("error".equals(messageType)) {
            throw failed(errors.streamError(message.header(":error-code"), message.header(":error-message"), requestId), null);
        }
        if (ended) {
            return;
        }
        String type = message.header(":event-type");
        // parsed as text, as every family parses its answers: whatever fails is the parser's refusal, worded by notJson
        String payload = message.payloadText();
        JsonNode data;
        try {
            data = json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw malformed(MalformedAnswers.notJson("a stream event '" + type + "'", e), payload);
        }
        if (data == null || !data.isObject()) {
            throw malformed("a stream event '" + type + "' is not a JSON object", payload);
        }
        switch (type == null ? "" : type) {
            case "messageStart" -> {
                if (!started) {
                    started = true;
                    out.onEvent(new StreamEvent.MessageStart(requestId, model));
                }
            }
            case "contentBlockStart" -> blockStart(data);
            case "contentBlockDelta" -> blockDelta(data);
            case "contentBlockStop" -> blockStop(data);
            case "messageStop" -> {
                requireStarted(data);
                stopReason = text(data, "stopReason");
                stopped = true;
            }
            case "metadata" -> {
                requireStarted(data);
                usage = data.get("usage");
                metrics = data.get("metrics");
                out.onEvent(new StreamEvent.UsageUpdate(BedrockAnswers.streamedUsage(model, usage, metrics)));
                if (stopped) {
                    end();
                }
            }
            default -> {
                // event types newer than this adapter
            }
        }
    }

    private void blockStart(JsonNode data) {
        requireStarted(data);
        int index = index(data);
        if (blocks.containsKey(index)) {
            throw malformed("contentBlockStart for block " + index + " that had started already", data.toString());
        }
        JsonNode toolUse = data.path("start").get("toolUse");
        if (toolUse == null) {
            block(index, Kind.TEXT);
            return;
        }
        Block block = block(index, Kind.TOOL);
        block.toolUseId = text(toolUse, "toolUseId");
        block.name = text(toolUse, "name");
        if (block.toolUseId == null || block.name == null) {
            throw malformed("contentBlockStart of a toolUse without toolUseId or name", data.toString());
        }
        out.onEvent(new StreamEvent.ToolCallStart(index, block.toolUseId, block.name));
    }

    private void blockDelta(JsonNode data) {
        requireStarted(data);
        int index = index(data);
        JsonNode delta = data.path("delta");
        Kind kind;
        if (delta.has("text")) {
            kind = Kind.TEXT;
        } else if (delta.has("toolUse")) {
            kind = Kind.TOOL;
        } else if (delta.has("reasoningContent")) {
            kind = Kind.REASONING;
        } else if (delta.has("citation")) {
            kind = Kind.CITATIONS;
        } else {
            return; // delta kinds newer than this adapter
        }
        Block block = kind == Kind.TOOL ? blocks.get(index) : block(index, kind);
        if (kind == Kind.TOOL && (block == null || block.kind != Kind.TOOL)) {
            throw malformed("a toolUse delta for block " + index + " that did not start as a toolUse", data.toString());
        }
        if (block.closed) {
            throw malformed("contentBlockDelta for block " + index + " after its contentBlockStop", data.toString());
        }
        switch (kind) {
            case TEXT -> {
                String text = AnswerText.of(delta, "text", what -> malformed("a contentBlockDelta's " + what,
                        data.toString()));
                block.text.append(text);
                out.onEvent(new StreamEvent.TextDelta(index, text));
            }
            case TOOL -> {
                String fragment = delta.path("toolUse").path("input").asText("");
                block.text.append(fragment);
                out.onEvent(new StreamEvent.ToolCallArgsDelta(index, fragment));
            }
            case REASONING -> {
                JsonNode reasoning = delta.get("reasoningContent");
                if (reasoning.has("text")) {
                    String text = AnswerText.of(reasoning, "text",
                            what -> malformed("a contentBlockDelta's reasoningContent." + what, data.toString()));
                    block.text.append(text);
                    out.onEvent(new StreamEvent.ReasoningDelta(index, text));
                }
                String signature = reasoning.path("signature").asText("");
                String redacted = reasoning.path("redactedContent").asText("");
                block.signature.append(signature);
                block.redacted.append(redacted);
                progress.kept(signature);
                progress.kept(redacted);
            }
            case CITATIONS -> {
                JsonNode citation = delta.get("citation");
                block.citations.add(citation.deepCopy());
                progress.kept(citation.toString());
            }
        }
    }

    private void blockStop(JsonNode data) {
        requireStarted(data);
        int index = index(data);
        Block block = blocks.get(index);
        if (block == null) {
            throw malformed("contentBlockStop for block " + index + " that never started", data.toString());
        }
        block.closed = true;
        out.onEvent(block.kind == Kind.TOOL ? new StreamEvent.ToolCallEnd(index) : new StreamEvent.BlockEnd(index));
    }

    /**
     * The block at {@code index}, created as {@code kind}: only tool uses announce themselves with
     * {@code contentBlockStart}, other blocks start with their first delta. A text block turns into cited text at its
     * first citation, and a block that started without content takes the kind of its first delta.
     */
    private Block block(int index, Kind kind) {
        Block block = blocks.get(index);
        if (block == null) {
            block = new Block(kind, json.createArrayNode());
            blocks.put(index, block);
            progress.blockKept();
        }
        if (block.kind == Kind.TEXT && (kind == Kind.CITATIONS || block.text.isEmpty())) {
            block.kind = kind;
        }
        return block;
    }

    /** The stream ended: the last event is the {@link StreamEvent.MessageEnd}, with or without usage. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        StopReason reason = BedrockAnswers.stopReason(stopReason);
        if (reason == StopReason.TOOL_CALLS && blocks.values().stream().noneMatch(b -> b.kind == Kind.TOOL)) {
            reason = StopReason.END_TURN;
        }
        out.onEvent(new StreamEvent.MessageEnd(reason, stopReason));
    }

    /**
     * The answer the stream described, in the shape of a Converse answer; call after a complete stream. Without
     * {@code rawJson}: a stream has no body as received, and writing the assembled answer out again cost a copy of its
     * whole text that no one reads.
     */
    ChatResponse response(BedrockAnswers answers) {
        ObjectNode answer = json.createObjectNode();
        ObjectNode message = answer.putObject("output").putObject("message").put("role", "assistant");
        ArrayNode content = message.putArray("content");
        blocks.values().forEach(block -> content.add(converse(block)));
        answer.put("stopReason", stopReason);
        if (usage != null) {
            answer.set("usage", usage);
        }
        if (metrics != null) {
            answer.set("metrics", metrics);
        }
        return answers.parse(answer, null, model, requestId, true);
    }

    private ObjectNode converse(Block block) {
        ObjectNode node = json.createObjectNode();
        switch (block.kind) {
            case TEXT -> node.put("text", block.text.toString());
            case TOOL -> {
                ObjectNode toolUse = node.putObject("toolUse").put("toolUseId", block.toolUseId).put("name", block.name);
                toolUse.set("input", arguments(block.text.toString()));
            }
            case REASONING -> {
                ObjectNode reasoning = node.putObject("reasoningContent");
                if (!block.redacted.isEmpty()) {
                    reasoning.put("redactedContent", block.redacted.toString());
                } else {
                    ObjectNode text = reasoning.putObject("reasoningText").put("text", block.text.toString());
                    if (!block.signature.isEmpty()) {
                        text.put("signature", block.signature.toString());
                    }
                }
            }
            case CITATIONS -> {
                ObjectNode cited = node.putObject("citationsContent");
                cited.putArray("content").addObject().put("text", block.text.toString());
                cited.set("citations", block.citations);
            }
        }
        return node;
    }

    private JsonNode arguments(String text) {
        if (text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode parsed = json.readTree(text);
            return parsed == null ? json.createObjectNode() : parsed;
        } catch (JsonProcessingException invalid) {
            // the exact text the model produced; the answer keeps it as the call's arguments
            return TextNode.valueOf(text);
        }
    }

    /** The stream ended (EOF) without {@code messageStop}. */
    ProviderException truncated() {
        return cutOff(started ? "the stream ended before messageStop (cut off)" : "the stream ended before messageStart");
    }

    /** Reports {@code error} as the stream's last event (once something reached the caller) and returns it. */
    ProviderException failed(ProviderError error, Throwable cause) {
        if (started && !ended) {
            ended = true;
            out.onEvent(new StreamEvent.StreamError(error));
        }
        return new ProviderException(error, cause);
    }

    /** A stream event this client cannot use: the rule of a malformed answer, as for a plain answer. */
    private ProviderException malformed(String what, String raw) {
        return failed(MalformedAnswers.error(providerId, what, requestId, raw, secrets.get()), null);
    }

    private ProviderException cutOff(String what) {
        return failed(MalformedAnswers.streamCutOff(providerId, what, requestId), null);
    }

    private void requireStarted(JsonNode data) {
        if (!started) {
            throw malformed("stream event before messageStart", data.toString());
        }
    }

    private int index(JsonNode data) {
        JsonNode index = data.get("contentBlockIndex");
        if (index == null || !index.canConvertToInt() || index.asInt() < 0) {
            throw malformed("stream event without a contentBlockIndex", data.toString());
        }
        return index.asInt();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
