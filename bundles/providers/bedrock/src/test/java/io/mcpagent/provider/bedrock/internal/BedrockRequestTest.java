package io.mcpagent.provider.bedrock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.mcpagent.api.llm.CacheHint;
import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.GenerationParams;
import io.mcpagent.api.llm.Instruction;
import io.mcpagent.api.llm.MediaKind;
import io.mcpagent.api.llm.MediaPart;
import io.mcpagent.api.llm.MediaSource;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.OpaquePart;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.llm.ReasoningParams;
import io.mcpagent.api.llm.ReasoningPart;
import io.mcpagent.api.llm.ResponseFormat;
import io.mcpagent.api.llm.Role;
import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.llm.ToolCallPart;
import io.mcpagent.api.llm.ToolChoice;
import io.mcpagent.api.llm.ToolResultPart;
import io.mcpagent.api.llm.ToolSpec;

/** The request as it reaches the wire: path, signature, headers and the body field by field. */
class BedrockRequestTest {
    private static final String SONNET = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String WEATHER_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
    private final FakeBedrock fake = new FakeBedrock();

    @AfterEach
    void stop() {
        fake.close();
    }

    private JsonNode send(ChatRequest request) {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri()).chat(request);
        return fake.last().json();
    }

    private static ChatRequest request(List<Message> messages, List<ToolSpec> tools, ToolChoice choice,
                                       ResponseFormat format) {
        return new ChatRequest(SONNET, List.of(), messages, tools, choice, null, format, null, null, Map.of());
    }

    @Test
    void pathHeadersAndSignatureAreBedrocks() {
        fake.expectSignedBy(Configs.signer(), "us-east-1");
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri()).chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
        FakeBedrock.Captured request = fake.last();
        assertEquals("POST", request.method());
        assertEquals("/model/global.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", request.rawPath(),
                "the first configured model is the default, its id encoded once as one path segment");
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("application/json", request.header("Accept"));
        assertEquals("20261124T100000Z", request.header("X-Amz-Date"));
        String authorization = request.header("Authorization");
        assertTrue(authorization.matches("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261124/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}"), authorization);
        assertNull(request.header("X-Amz-Security-Token"), "no session token with long-term keys");
        assertFalse(request.body().contains(Configs.SECRET));
        assertEquals("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}", request.body(),
                "no system, inferenceConfig or toolConfig when the request sets none; the model is in the path only");
        assertEquals(1, fake.requests(), "the fake verified the signature and answered");
    }

    @Test
    void aWrongSecretIsRejectedAsAwsDoes() {
        fake.expectSignedBy(Configs.signer(), "us-east-1");
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri(),
                "not-the-secret", Map.of()).chat(ChatRequest.of(null, null, List.of(Message.user("hi")))));
        assertEquals(ProviderError.Category.AUTH, failure.error().category());
        assertEquals("InvalidSignatureException", failure.error().providerType());
    }

    @Test
    void temporaryCredentialsSendTheSessionTokenSigned() {
        fake.expectSignedBy(new AwsCredentials(Configs.ACCESS_KEY_ID, Configs.SECRET, "FwoGZXIvYXdzEXAMPLETOKEN"), "eu-west-3");
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), Map.of("AWS_ACCESS_KEY_ID", Configs.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", Configs.SECRET, "AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN"),
                Map.of("region", "eu-west-3")).chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
        assertEquals("FwoGZXIvYXdzEXAMPLETOKEN", fake.last().header("X-Amz-Security-Token"));
        assertTrue(fake.last().header("Authorization").contains("/20261124/eu-west-3/bedrock/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "), fake.last().header("Authorization"));
    }

    @Test
    void everyRetryIsSignedAgainWithItsOwnTime() {
        fake.expectSignedBy(Configs.signer(), "us-east-1");
        List<FakeBedrock.Captured> attempts = new CopyOnWriteArrayList<>();
        for (var answer : List.of(fake.error(429, "ThrottlingException", "Too many requests"),
                fake.error(503, "ServiceUnavailableException", "busy"),
                fake.converse(FakeBedrock.answer("end_turn", 1, 1, FakeBedrock.textBlock("third time lucky"))))) {
            fake.enqueue((exchange, request) -> {
                attempts.add(request);
                answer.respond(exchange, request);
            });
        }
        assertEquals("third time lucky", Configs.provider(fake.baseUri())
                .chat(ChatRequest.of(null, null, List.of(Message.user("hi")))).message().text());
        assertEquals(3, attempts.size());
        assertEquals(List.of("20261124T100000Z", "20261124T100001Z", "20261124T100002Z"),
                attempts.stream().map(c -> c.header("X-Amz-Date")).toList());
        assertNotEquals(attempts.get(0).header("Authorization"), attempts.get(1).header("Authorization"));
        assertNotEquals(attempts.get(1).header("Authorization"), attempts.get(2).header("Authorization"));
    }

    @Test
    void theStreamGoesToConverseStreamAndAcceptsTheEventStream() {
        fake.expectSignedBy(Configs.signer(), "us-east-1");
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri()).stream(ChatRequest.of("amazon.nova-pro-v1:0", null, List.of(Message.user("hi"))), e -> { });
        assertEquals("/model/amazon.nova-pro-v1%3A0/converse-stream", fake.last().rawPath());
        assertEquals("application/vnd.amazon.eventstream", fake.last().header("Accept"));
        assertEquals("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}", fake.last().body(),
                "the same body as Converse: the path decides streaming");
    }

    @Test
    void aBedrockApiKeyTravelsAsABearerTokenUnsigned() {
        fake.enqueueText("ok", 1, 1);
        Configs.provider(fake.baseUri(), Map.of("AWS_BEARER_TOKEN_BEDROCK", "ABSKQmVkcm9ja0FQSUtleS1example"),
                Map.of("auth", "bearer")).chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
        assertEquals("Bearer ABSKQmVkcm9ja0FQSUtleS1example", fake.last().header("Authorization"));
        assertNull(fake.last().header("X-Amz-Date"));
        assertNull(fake.last().header("X-Amz-Security-Token"));
    }

    @Test
    void aCredentialsFileProfileSignsAndItsRotationIsPickedUp(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("credentials");
        Files.writeString(file, """
                [default]
                aws_access_key_id = AKIADEFAULTDEFAULT01
                aws_secret_access_key = default-secret

                [profile work]
                # temporary credentials written by a credential helper
                aws_access_key_id = ASIAWORKWORKWORK0001
                aws_secret_access_key = work-secret-1
                aws_session_token = work-token-1
                """);
        BedrockProvider provider = Configs.provider(fake.baseUri(), Map.of(),
                Map.of("credentialsFile", file.toString(), "credentialsProfile", "work"));
        fake.expectSignedBy(new AwsCredentials("ASIAWORKWORKWORK0001", "work-secret-1", "work-token-1"), "us-east-1");
        fake.enqueueText("ok", 1, 1);
        provider.chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
        assertEquals("work-token-1", fake.last().header("X-Amz-Security-Token"));

        Files.writeString(file, """
                [work]
                aws_access_key_id = ASIAWORKWORKWORK0002
                aws_secret_access_key = work-secret-2
                aws_session_token = work-token-2
                """);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        fake.expectSignedBy(new AwsCredentials("ASIAWORKWORKWORK0002", "work-secret-2", "work-token-2"), "us-east-1");
        fake.enqueueText("ok", 1, 1);
        provider.chat(ChatRequest.of(null, null, List.of(Message.user("hi"))));
        assertTrue(fake.last().header("Authorization").contains("Credential=ASIAWORKWORKWORK0002/"));
        assertEquals(2, fake.requests(), "both signatures verified");
    }

    @Test
    void aFullToolConversationMapsFieldByField() {
        ToolSpec weather = new ToolSpec("get_weather", "Current weather for a city", WEATHER_SCHEMA, true);
        ToolSpec clock = new ToolSpec("now", null, null, false);
        List<Message> messages = List.of(
                Message.user("Weather in Paris and Rome?"),
                Message.of(Role.ASSISTANT, List.of(TextPart.of("Checking both."),
                        new ToolCallPart("tooluse_A", "tooluse_A", null, "get_weather", "{\"city\":\"Paris\"}", Map.of()),
                        new ToolCallPart("tooluse_B", "tooluse_B", null, "get_weather", "{\"city\": \"Rome\"}", Map.of()))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("tooluse_A", "get_weather",
                        List.of(TextPart.of("{\"temp_c\":14}")), false))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("tooluse_B", "get_weather",
                        List.of(TextPart.of("error: timeout")), true))),
                Message.user("And tomorrow?"));
        ChatRequest request = new ChatRequest("us.anthropic.claude-opus-4-5-20251101-v1:0",
                List.of(new Instruction("You are a terse assistant.", CacheHint.EPHEMERAL), Instruction.of("Use metric units.")),
                messages, List.of(weather, clock), new ToolChoice.Named("get_weather"), false, null,
                new GenerationParams(512, 0.2, 0.9, List.of("STOP", "END"), 42L), null,
                Map.of("performanceConfig", "{\"latency\":\"optimized\"}", "inferenceConfig", "{\"maxTokens\":600}"));
        JsonNode body = send(request);
        assertEquals("/model/us.anthropic.claude-opus-4-5-20251101-v1%3A0/converse", fake.last().rawPath());
        assertEquals("[{\"text\":\"You are a terse assistant.\"},{\"cachePoint\":{\"type\":\"default\"}},"
                + "{\"text\":\"Use metric units.\"}]", body.get("system").toString());
        assertEquals("[{\"role\":\"user\",\"content\":[{\"text\":\"Weather in Paris and Rome?\"}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"text\":\"Checking both.\"},"
                + "{\"toolUse\":{\"toolUseId\":\"tooluse_A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}},"
                + "{\"toolUse\":{\"toolUseId\":\"tooluse_B\",\"name\":\"get_weather\",\"input\":{\"city\":\"Rome\"}}}]},"
                + "{\"role\":\"user\",\"content\":["
                + "{\"toolResult\":{\"toolUseId\":\"tooluse_A\",\"content\":[{\"text\":\"{\\\"temp_c\\\":14}\"}],\"status\":\"success\"}},"
                + "{\"toolResult\":{\"toolUseId\":\"tooluse_B\",\"content\":[{\"text\":\"error: timeout\"}],\"status\":\"error\"}},"
                + "{\"text\":\"And tomorrow?\"}]}]", body.get("messages").toString(),
                "both results in one user message, results first, alternating roles");
        assertEquals("{\"maxTokens\":600,\"temperature\":0.2,\"topP\":0.9,\"stopSequences\":[\"STOP\",\"END\"]}",
                body.get("inferenceConfig").toString(), "providerExtras objects merge field by field");
        assertEquals("{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\",\"description\":\"Current weather for a city\","
                + "\"inputSchema\":{\"json\":" + WEATHER_SCHEMA + "},\"strict\":true}},"
                + "{\"toolSpec\":{\"name\":\"now\",\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":{}}}}}],"
                + "\"toolChoice\":{\"tool\":{\"name\":\"get_weather\"}}}", body.get("toolConfig").toString());
        assertEquals("{\"latency\":\"optimized\"}", body.get("performanceConfig").toString());
        assertFalse(body.has("seed"), "Converse has no seed");
        assertFalse(body.has("modelId"));
    }

    @Test
    void aToolChoiceThatNeedsToolsIsRefusedInWordsWhenNoneAreOffered() {
        for (ToolChoice choice : List.of(new ToolChoice.Named("search"), new ToolChoice.Required())) {
            ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri())
                    .chat(request(List.of(Message.user("hi")), List.of(), choice, null)));
            String expected = choice instanceof ToolChoice.Named ? "': the tool choice asks for a call of the tool 'search', but the request offers no tools" : "': the tool choice asks for a tool call, but the request offers no tools";
            assertTrue(failure.error().message().endsWith(expected), failure.error().message());
        }
    }

    @Test
    void toolChoices() {
        ToolSpec weather = new ToolSpec("get_weather", "w", WEATHER_SCHEMA, false);
        List<Message> hello = List.of(Message.user("hi"));
        assertEquals("{\"any\":{}}", send(request(hello, List.of(weather), new ToolChoice.Required(), null))
                .path("toolConfig").path("toolChoice").toString());
        JsonNode auto = send(request(hello, List.of(weather), new ToolChoice.Auto(), null));
        assertTrue(auto.path("toolConfig").has("tools"));
        assertFalse(auto.path("toolConfig").has("toolChoice"), "auto is the default and left out");
        assertFalse(send(request(hello, List.of(weather), new ToolChoice.None(), null)).has("toolConfig"),
                "none: no tools offered");
        List<Message> withHistory = List.of(Message.user("hi"),
                Message.of(Role.ASSISTANT, List.of(ToolCallPart.of("t1", "get_weather", "{}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("t1", "get_weather", List.of(TextPart.of("sunny")), false))));
        JsonNode none = send(request(withHistory, List.of(weather), new ToolChoice.None(), null));
        assertTrue(none.path("toolConfig").has("tools"), "Bedrock needs toolConfig once the history holds tool blocks");
        assertFalse(none.path("toolConfig").has("toolChoice"));
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri())
                .chat(request(hello, List.of(), new ToolChoice.Required(), null)));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
    }

    /**
     * Converse needs the conversation to start with a user message: one starting with the assistant's is refused before
     * anything is sent (it went out as it was, for Bedrock's ValidationException; a walkthrough). System messages
     * before it do not count: they go to system[].
     */
    @Test
    void aConversationStartingWithTheAssistantIsRefusedBeforeItIsSent() {
        ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri())
                .chat(ChatRequest.of(null, null, List.of(Message.of(Role.SYSTEM,
                        List.of(TextPart.of("be brief"))), Message.assistant("I am ready."), Message.user("a")))));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
        assertTrue(failure.getMessage().contains("the conversation starts with an assistant message; Bedrock needs it"
                + " to start with a user message"), failure.getMessage());
        assertEquals(0, fake.requests(), "nothing sent");
    }

    @Test
    void structuredOutputSendsTheSchemaAsAJsonString() {
        JsonNode body = send(request(List.of(Message.user("Weather?")), List.of(), null,
                new ResponseFormat.JsonSchema("Answer", WEATHER_SCHEMA, true)));
        JsonNode format = body.path("outputConfig").path("textFormat");
        assertEquals("json_schema", format.path("type").asText());
        JsonNode jsonSchema = format.path("structure").path("jsonSchema");
        assertTrue(jsonSchema.get("schema").isTextual(), "a string, not an object: " + jsonSchema);
        assertEquals(WEATHER_SCHEMA, jsonSchema.get("schema").asText());
        assertEquals("Answer", jsonSchema.get("name").asText());

        JsonNode anyJson = send(request(List.of(Message.user("Weather?")), List.of(), null, new ResponseFormat.JsonObject()));
        assertEquals(BedrockRequests.JSON_OBJECT_INSTRUCTION, anyJson.path("system").get(0).path("text").asText());
        assertFalse(anyJson.has("outputConfig"));

        ProviderException failure = assertThrows(ProviderException.class, () -> send(request(List.of(Message.user("x")),
                List.of(), null, new ResponseFormat.JsonSchema("Bad", "{not json", false))));
        assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category());
        assertEquals(2, fake.requests(), "nothing sent for an invalid schema");
    }

    @Test
    void reasoningBudgetEffortAndReplay() {
        JsonNode budget = send(new ChatRequest(SONNET, List.of(), List.of(Message.user("think")), List.of(), null, null,
                null, null, new ReasoningParams(null, 2048), Map.of()));
        assertEquals("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}",
                budget.get("additionalModelRequestFields").toString());
        JsonNode off = send(new ChatRequest(SONNET, List.of(), List.of(Message.user("think")), List.of(), null, null,
                null, null, new ReasoningParams(null, 0), Map.of()));
        assertEquals("{\"thinking\":{\"type\":\"disabled\"}}", off.get("additionalModelRequestFields").toString());
        JsonNode effort = send(new ChatRequest(SONNET, List.of(), List.of(Message.user("think")), List.of(), null, null,
                null, null, new ReasoningParams("High", null), Map.of()));
        assertEquals("{\"effort\":\"high\"}", effort.get("outputConfig").toString());

        List<Message> replay = List.of(Message.user("Weather?"),
                Message.of(Role.ASSISTANT, List.of(
                        new ReasoningPart("bedrock", SONNET, "Call the tool.", null, "EqQBCgIYAhIM", null, false),
                        new ReasoningPart("bedrock", SONNET, null, null, null, "cmVkYWN0ZWQ=", true),
                        new ReasoningPart("anthropic", "claude-sonnet-4-5", "elsewhere", null, "sig", null, false),
                        new ReasoningPart("bedrock", SONNET, "unsigned", null, null, null, false),
                        ToolCallPart.of("t1", "get_weather", "{\"city\":\"Paris\"}"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart("t1", "get_weather", List.of(TextPart.of("14C")), false))));
        JsonNode body = send(request(replay, List.of(new ToolSpec("get_weather", "w", WEATHER_SCHEMA, false)), null, null));
        assertEquals("[{\"reasoningContent\":{\"reasoningText\":{\"text\":\"Call the tool.\",\"signature\":\"EqQBCgIYAhIM\"}}},"
                + "{\"reasoningContent\":{\"redactedContent\":\"cmVkYWN0ZWQ=\"}},"
                + "{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}}]",
                body.path("messages").get(1).path("content").toString(),
                "Bedrock's signed reasoning replayed before the tool use; others' and unsigned reasoning dropped");
    }

    @Test
    void imagesAndDocumentsAsBytesOrFromS3() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 1, 2};
        List<Message> messages = List.of(Message.of(Role.USER, List.of(
                TextPart.of("Compare these."),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), null, null, null),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Url("data:image/webp;base64,UklGRg=="), null, null, null),
                new MediaPart(MediaKind.DOCUMENT, new MediaSource.Inline("a,b\n1,2".getBytes(StandardCharsets.UTF_8)),
                        "text/csv", "report_2026.v2.csv", null),
                new MediaPart(MediaKind.DOCUMENT, new MediaSource.ProviderFileRef("bedrock", "s3://bucket/doc.pdf"),
                        "application/pdf", null, null))));
        JsonNode content = send(request(messages, List.of(), null, null)).path("messages").get(0).path("content");
        assertEquals("{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"" + Base64.getEncoder().encodeToString(png) + "\"}}}",
                content.get(1).toString());
        assertEquals("{\"image\":{\"format\":\"webp\",\"source\":{\"bytes\":\"UklGRg==\"}}}", content.get(2).toString());
        assertEquals("{\"document\":{\"format\":\"csv\",\"name\":\"report-2026-v2-csv\",\"source\":{\"bytes\":\""
                + Base64.getEncoder().encodeToString("a,b\n1,2".getBytes(StandardCharsets.UTF_8)) + "\"}}}", content.get(3).toString());
        assertEquals("{\"document\":{\"format\":\"pdf\",\"name\":\"document-pdf\",\"source\":{\"s3Location\":{\"uri\":\"s3://bucket/doc.pdf\"}}}}",
                content.get(4).toString());

        for (MediaPart refused : List.of(
                new MediaPart(MediaKind.IMAGE, new MediaSource.Url("https://example.com/cat.png"), "image/png", null, null),
                new MediaPart(MediaKind.AUDIO, new MediaSource.Inline(new byte[] {1}), "audio/wav", null, null),
                new MediaPart(MediaKind.IMAGE, new MediaSource.Inline(png), "image/tiff", null, null),
                new MediaPart(MediaKind.IMAGE, new MediaSource.ProviderFileRef("gemini", "files/abc"), "image/png", null, null))) {
            ProviderException failure = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri())
                    .chat(request(List.of(Message.of(Role.USER, List.of(TextPart.of("see"), refused))), List.of(), null, null)));
            assertEquals(ProviderError.Category.INVALID_REQUEST, failure.error().category(), refused.toString());
        }
        ProviderException lonelyDocument = assertThrows(ProviderException.class, () -> Configs.provider(fake.baseUri())
                .chat(request(List.of(Message.of(Role.USER, List.of(new MediaPart(MediaKind.DOCUMENT,
                        new MediaSource.Inline("%PDF-1.7".getBytes(StandardCharsets.UTF_8)), null, "a", null)))), List.of(), null, null)));
        assertTrue(lonelyDocument.getMessage().contains("needs a text part"), lonelyDocument.getMessage());
        assertEquals(1, fake.requests(), "refused requests send nothing");
    }

    @Test
    void toolUseIdsAreKeptWithinBedrocksAlphabetTheSameForCallAndResult() {
        String foreign = "call:Paris/1";
        String overlong = "x".repeat(80);
        List<Message> messages = List.of(Message.user("go"),
                Message.of(Role.ASSISTANT, List.of(ToolCallPart.of(foreign, "get_weather", "{}"),
                        ToolCallPart.of(overlong, "get_weather", "[1,2]"))),
                Message.of(Role.TOOL, List.of(new ToolResultPart(foreign, "get_weather", List.of(TextPart.of("a")), false),
                        new ToolResultPart(overlong, "get_weather", List.of(), false))));
        JsonNode body = send(request(messages, List.of(new ToolSpec("get_weather", "w", null, false)), null, null));
        JsonNode uses = body.path("messages").get(1).path("content");
        JsonNode results = body.path("messages").get(2).path("content");
        assertEquals("call_Paris_1", uses.get(0).path("toolUse").path("toolUseId").asText());
        String shortened = uses.get(1).path("toolUse").path("toolUseId").asText();
        assertTrue(shortened.matches("[a-zA-Z0-9_-]{1,64}"), shortened);
        assertEquals("call_Paris_1", results.get(0).path("toolResult").path("toolUseId").asText());
        assertEquals(shortened, results.get(1).path("toolResult").path("toolUseId").asText());
        assertEquals("{\"raw_arguments\":\"[1,2]\"}", uses.get(1).path("toolUse").path("input").toString(),
                "Bedrock tool input is an object: other arguments travel as text");
        assertEquals("[]", results.get(1).path("toolResult").path("content").toString());
    }

    @Test
    void midConversationSystemMessagesAreHoistedAndEmptyTextDropped() {
        List<Message> messages = List.of(Message.user("hi"), Message.assistant(""),
                Message.of(Role.SYSTEM, List.of(TextPart.of("Now answer in French."))),
                Message.of(Role.USER, List.of(TextPart.of(""), new TextPart("again", CacheHint.EPHEMERAL))),
                Message.of(Role.ASSISTANT, List.of(new OpaquePart("bedrock", "{\"guardContent\":{\"text\":{\"text\":\"kept\"}}}"),
                        new OpaquePart("anthropic", "{\"type\":\"server_tool_use\"}"))));
        JsonNode body = send(new ChatRequest(SONNET, List.of(Instruction.of("Be brief.")), messages, List.of(), null, null,
                null, null, null, Map.of()));
        assertEquals("[{\"text\":\"Be brief.\"},{\"text\":\"Now answer in French.\"}]", body.get("system").toString());
        assertEquals("[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"},{\"text\":\"again\"},{\"cachePoint\":{\"type\":\"default\"}}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"guardContent\":{\"text\":{\"text\":\"kept\"}}}]}]",
                body.get("messages").toString());
    }
}
