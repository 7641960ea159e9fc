package io.mcpagent.benchmarks.providers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;

/**
 * What the benchmarks send and answer: an agent turn (system instruction, a tool round trip, two tools offered),
 * complete answers in the OpenAI Chat Completions and Anthropic Messages formats with the headers those APIs send,
 * and recorded-style streams (SSE, NDJSON, AWS event-stream) of any length. Everything is deterministic.
 */
final class Fixtures {
    private Fixtures() {
    }

    static final String OPENAI_MODEL = "gpt-4o";
    static final String ANTHROPIC_MODEL = "claude-sonnet-4-5";

    /** A mid-conversation agent turn, the common shape of a call: about 2 KB of JSON on the wire. */
    static ChatRequest request(String model) {
        String system = "You are an operations assistant for the MCP-Agent framework. Answer concisely, cite the "
                + "tool results you rely on, and never invent file contents. When a question needs data you do not have, "
                + "call a tool instead of guessing. Prefer read_file for configuration and search_logs for incidents.";
        List<Message> messages = List.of(
                Message.user("The nightly export failed again. What went wrong, and is it the same problem as last week?"),
                Message.of(Role.ASSISTANT, List.of(TextPart.of("Let me look at the export logs first."),
                        ToolCallPart.of("call_7Qp2xWmJ", "search_logs",
                                "{\"query\":\"export failed\",\"since\":\"2025-06-01T00:00:00Z\",\"limit\":20}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("call_7Qp2xWmJ", "search_logs", List.of(TextPart.of(
                        "2025-06-12T02:00:04Z ERROR export.job: upload to s3://reports/nightly failed: 403 Forbidden "
                                + "(ExpiredToken)\n2025-06-05T02:00:03Z ERROR export.job: upload to s3://reports/nightly "
                                + "failed: 403 Forbidden (ExpiredToken)\n2025-06-05T02:10:00Z INFO export.job: retry "
                                + "succeeded after credential refresh")), false))),
                Message.user("So should I rotate the credentials, or is something else going on?"));
        List<ToolSpec> tools = List.of(
                new ToolSpec("search_logs", "Search the framework's logs; returns matching lines, newest first.",
                        "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\",\"description\":\"words to find\"},"
                                + "\"since\":{\"type\":\"string\",\"format\":\"date-time\"},\"limit\":{\"type\":\"integer\","
                                + "\"minimum\":1,\"maximum\":200}},\"required\":[\"query\"],\"additionalProperties\":false}",
                        false),
                new ToolSpec("read_file", "Read a text file below the framework's etc/ directory.",
                        "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"description\":\"relative to etc/\"}},"
                                + "\"required\":[\"path\"],\"additionalProperties\":false}",
                        false));
        return new ChatRequest(model, List.of(Instruction.of(system)), messages, tools, null, null, null,
                new GenerationParams(1024, 0.2, null, List.of(), null), null, Map.of());
    }

    private static final String ANSWER = "It is the same problem as last week: both failures are 403 Forbidden with "
            + "ExpiredToken on the upload to s3://reports/nightly, and last week's run succeeded only after the "
            + "credentials were refreshed. The export job holds a session token that expires before 02:00. Rotating "
            + "the credentials again would only move the failure by a week; instead, let the job refresh its token "
            + "before each upload (or use an instance role). After that change, rerun the export manually to fill "
            + "tonight's gap. \u2014 Sources: search_logs, lines from 2025-06-05 and 2025-06-12.";

    /** A complete Chat Completions answer as OpenAI writes it (indented). */
    static byte[] openAiAnswer() {
        return ("""
                {
                  "id": "chatcmpl-BhRz3V8kq4TXa1pJ0n9uKc2WmYdLs",
                  "object": "chat.completion",
                  "created": 1749722404,
                  "model": "gpt-4o-2024-08-06",
                  "choices": [
                    {
                      "index": 0,
                      "message": {
                        "role": "assistant",
                        "content": "%s",
                        "refusal": null,
                        "annotations": []
                      },
                      "logprobs": null,
                      "finish_reason": "stop"
                    }
                  ],
                  "usage": {
                    "prompt_tokens": 412,
                    "completion_tokens": 118,
                    "total_tokens": 530,
                    "prompt_tokens_details": {
                      "cached_tokens": 0,
                      "audio_tokens": 0
                    },
                    "completion_tokens_details": {
                      "reasoning_tokens": 0,
                      "audio_tokens": 0,
                      "accepted_prediction_tokens": 0,
                      "rejected_prediction_tokens": 0
                    }
                  },
                  "service_tier": "default",
                  "system_fingerprint": "fp_07871e2ad8"
                }
                """.formatted(ANSWER)).getBytes(StandardCharsets.UTF_8);
    }

    /** The response headers OpenAI sends with an answer (besides content-type and length). */
    static Map<String, String> openAiHeaders() {
        return Map.ofEntries(Map.entry("openai-organization", "user-bench"), Map.entry("openai-processing-ms", "412"),
                Map.entry("openai-version", "2020-10-01"), Map.entry("x-ratelimit-limit-requests", "10000"),
                Map.entry("x-ratelimit-limit-tokens", "30000000"), Map.entry("x-ratelimit-remaining-requests", "9999"),
                Map.entry("x-ratelimit-remaining-tokens", "29999470"), Map.entry("x-ratelimit-reset-requests", "6ms"),
                Map.entry("x-ratelimit-reset-tokens", "1ms"), Map.entry("x-request-id", "req_5f1c0a3b9d8e4f2a8c7b6d5e4f3a2b1c"),
                Map.entry("strict-transport-security", "max-age=31536000; includeSubDomains; preload"),
                Map.entry("x-content-type-options", "nosniff"), Map.entry("cf-cache-status", "DYNAMIC"));
    }

    /** A complete Messages API answer as Anthropic writes it (compact). */
    static byte[] anthropicAnswer() {
        return ("{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"" + ANSWER + "\"}],"
                + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":412,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"cache_creation\":"
                + "{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":118,"
                + "\"service_tier\":\"standard\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** The response headers Anthropic sends with an answer (besides content-type and length). */
    static Map<String, String> anthropicHeaders() {
        return Map.ofEntries(Map.entry("request-id", "req_011CQ3mZk8vD1x9yH7bN2pQr"),
                Map.entry("anthropic-organization-id", "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"),
                Map.entry("anthropic-ratelimit-requests-limit", "4000"),
                Map.entry("anthropic-ratelimit-requests-remaining", "3999"),
                Map.entry("anthropic-ratelimit-requests-reset", "2025-06-12T09:14:05Z"),
                Map.entry("anthropic-ratelimit-tokens-limit", "2400000"),
                Map.entry("anthropic-ratelimit-tokens-remaining", "2399000"),
                Map.entry("anthropic-ratelimit-tokens-reset", "2025-06-12T09:14:05Z"),
                Map.entry("anthropic-ratelimit-input-tokens-limit", "2000000"),
                Map.entry("anthropic-ratelimit-input-tokens-remaining", "1999000"),
                Map.entry("anthropic-ratelimit-input-tokens-reset", "2025-06-12T09:14:05Z"),
                Map.entry("anthropic-ratelimit-output-tokens-limit", "400000"),
                Map.entry("anthropic-ratelimit-output-tokens-remaining", "400000"),
                Map.entry("anthropic-ratelimit-output-tokens-reset", "2025-06-12T09:14:05Z"),
                Map.entry("via", "1.1 google"), Map.entry("cf-cache-status", "DYNAMIC"),
                Map.entry("x-robots-tag", "none"));
    }

    // ---- streams -------------------------------------------------------------------------------------------------

    /** Tokens of a streamed answer: mostly short words, some punctuation, escapes and non-ASCII, as models write. */
    private static final String[] TOKENS = {" The", " export", " job", " fails", " because", " its", " session",
            " token", " expires", " before", " the", " upload", ".", " Rotate", " nothing", ";", " refresh", " it",
            " per", " run", ",", " then", " rerun", " tonight", "\u2019s", " export", ":\\n\\n", "1", ".", " `aws",
            " sts", "`", " caf\u00e9", " \\\"quoted\\\"", " \u2014", " done"};

    /** Token {@code i} of a streamed answer, as JSON string content (already escaped). */
    static String token(int i) {
        return TOKENS[i % TOKENS.length];
    }

    /** A recorded stream: its bytes and the number of events (SSE events, NDJSON lines or frames) it holds. */
    record Stream(byte[] bytes, int events) {
    }

    /**
     * An OpenAI Chat Completions stream with {@code deltas} content chunks of one token each (as OpenAI sends them),
     * the role chunk first, then the finish chunk, the {@code include_usage} chunk and {@code [DONE]}.
     */
    static Stream openAiStream(int deltas) {
        StringBuilder sse = new StringBuilder(deltas * 240);
        String prefix = "data: {\"id\":\"chatcmpl-BhRz3V8kq4TXa1pJ0n9uKc2WmYdLs\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1749722404,\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_07871e2ad8\",\"choices\":";
        sse.append(prefix).append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (int i = 0; i < deltas; i++) {
            sse.append(prefix).append("[{\"index\":0,\"delta\":{\"content\":\"").append(token(i))
                    .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        sse.append(prefix).append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        sse.append(prefix).append("[],\"usage\":{\"prompt_tokens\":412,\"completion_tokens\":").append(deltas)
                .append(",\"total_tokens\":").append(412 + deltas).append(",\"prompt_tokens_details\":{\"cached_tokens\":0,"
                        + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n");
        sse.append("data: [DONE]\n\n");
        return new Stream(sse.toString().getBytes(StandardCharsets.UTF_8), deltas + 4);
    }

    /**
     * An Anthropic Messages stream with {@code deltas} {@code content_block_delta} events of three tokens each (Anthropic
     * sends several tokens per delta): message_start, content_block_start, ping, the deltas, content_block_stop,
     * message_delta, message_stop.
     */
    static Stream anthropicStream(int deltas) {
        StringBuilder sse = new StringBuilder(deltas * 140);
        sse.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":412,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,"
                + "\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n");
        sse.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        sse.append("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        for (int i = 0; i < deltas; i++) {
            sse.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"").append(token(3 * i)).append(token(3 * i + 1))
                    .append(token(3 * i + 2)).append("\"}}\n\n");
        }
        sse.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sse.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":").append(3 * deltas).append("}}\n\n");
        sse.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return new Stream(sse.toString().getBytes(StandardCharsets.UTF_8), deltas + 6);
    }

    /** Ollama's native {@code /api/chat} stream: one JSON object per line, the last with {@code done} and counters. */
    static Stream ollamaStream(int deltas) {
        StringBuilder lines = new StringBuilder(deltas * 130);
        for (int i = 0; i < deltas; i++) {
            lines.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-06-12T09:14:05.").append(100000 + i)
                    .append("Z\",\"message\":{\"role\":\"assistant\",\"content\":\"").append(token(i)).append("\"},\"done\":false}\n");
        }
        lines.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-06-12T09:14:09.5Z\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":4883583458,"
                + "\"load_duration\":1334875,\"prompt_eval_count\":412,\"prompt_eval_duration\":342546000,\"eval_count\":")
                .append(deltas).append(",\"eval_duration\":4535599000}\n");
        return new Stream(lines.toString().getBytes(StandardCharsets.UTF_8), deltas + 1);
    }

    /**
     * A Bedrock ConverseStream answer in the AWS event-stream framing: messageStart, {@code deltas} contentBlockDelta
     * frames of one token each (with Bedrock's {@code p} padding field), contentBlockStop, messageStop, metadata.
     */
    static Stream bedrockStream(int deltas) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(deltas * 200);
        String pad = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        out.writeBytes(frame("messageStart", "{\"p\":\"" + pad.substring(0, 20) + "\",\"role\":\"assistant\"}"));
        for (int i = 0; i < deltas; i++) {
            out.writeBytes(frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + token(i)
                    + "\"},\"p\":\"" + pad.substring(0, 10 + i % 40) + "\"}"));
        }
        out.writeBytes(frame("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"" + pad.substring(0, 30) + "\"}"));
        out.writeBytes(frame("messageStop", "{\"p\":\"" + pad.substring(0, 12) + "\",\"stopReason\":\"end_turn\"}"));
        out.writeBytes(frame("metadata", "{\"metrics\":{\"latencyMs\":4211},\"p\":\"abc\",\"usage\":{\"inputTokens\":412,"
                + "\"outputTokens\":" + deltas + ",\"totalTokens\":" + (412 + deltas) + "}}"));
        return new Stream(out.toByteArray(), deltas + 4);
    }

    /** One event-stream frame with the three headers Bedrock sends and correct checksums. */
    private static byte[] frame(String eventType, String payload) {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        for (String[] header : new String[][] {{":event-type", eventType}, {":content-type", "application/json"},
                {":message-type", "event"}}) {
            byte[] name = header[0].getBytes(StandardCharsets.UTF_8);
            byte[] value = header[1].getBytes(StandardCharsets.UTF_8);
            headers.write(name.length);
            headers.writeBytes(name);
            headers.write(7);
            headers.write(value.length >> 8);
            headers.write(value.length & 0xff);
            headers.writeBytes(value);
        }
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        int total = 16 + headers.size() + body.length;
        ByteBuffer buffer = ByteBuffer.allocate(total);
        buffer.putInt(total).putInt(headers.size());
        CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, 8);
        buffer.putInt((int) crc.getValue());
        buffer.put(headers.toByteArray()).put(body);
        CRC32 whole = new CRC32();
        whole.update(buffer.array(), 0, total - 4);
        buffer.putInt((int) whole.getValue());
        return buffer.array();
    }
}
