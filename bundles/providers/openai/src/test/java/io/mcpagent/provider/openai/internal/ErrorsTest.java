package io.mcpagent.provider.openai.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mcpagent.api.llm.ChatRequest;
import io.mcpagent.api.llm.ChatResponse;
import io.mcpagent.api.llm.Message;
import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;

/** The vendors' error answers, retries honouring their hints, and broken connections. */
@Timeout(60)
class ErrorsTest {
    private final FakeOpenAi fake = new FakeOpenAi();

    @AfterEach
    void stop() {
        fake.close();
    }

    private OpenAiProvider provider(int maxRetries, Object... more) {
        Object[] pairs = new Object[4 + more.length];
        pairs[0] = "baseUrl";
        pairs[1] = fake.baseUri().toString();
        pairs[2] = "maxRetries";
        pairs[3] = maxRetries;
        System.arraycopy(more, 0, pairs, 4, more.length);
        return Providers.provider("main", Map.of("OPENAI_API_KEY", "sk-proj-SECRET", "AZURE_OPENAI_API_KEY", "az-SECRET"), pairs);
    }

    private static ChatRequest hello() {
        return ChatRequest.of("gpt-5.4-mini", null, List.of(Message.user("hi")));
    }

    private ProviderError failure(OpenAiProvider provider) {
        return assertThrows(ProviderException.class, () -> provider.chat(hello())).error();
    }

    @Test
    void rateLimitIsRetriedAfterRetryAfterMs() {
        fake.enqueueRateLimited(Duration.ofMillis(400));
        fake.enqueueText("done", 1, 1);
        long start = System.nanoTime();
        ChatResponse response = provider(2).chat(hello());
        assertEquals("done", response.message().text());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(380).toNanos(), "waited as asked");
        assertEquals(2, fake.requests());
    }

    @Test
    void rateLimitWithoutRetryAfterWaitsForTheExhaustedLimitToReset() {
        fake.enqueue(FakeOpenAi.json(429, "{\"error\":{\"message\":\"Rate limit reached for tokens per min\",\"type\":\"tokens\","
                        + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}",
                "x-ratelimit-remaining-requests", "10", "x-ratelimit-reset-requests", "1ms",
                "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "450ms"));
        fake.enqueueText("done", 1, 1);
        long start = System.nanoTime();
        provider(1).chat(hello());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(430).toNanos(), "x-ratelimit-reset-tokens was honoured");

        fake.enqueue(FakeOpenAi.json(429, "{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}",
                "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "2.5s"));
        ProviderError spent = failure(provider(0));
        assertEquals(Category.RATE_LIMITED, spent.category());
        assertEquals(Duration.ofMillis(2500), spent.retryAfter());
        assertTrue(spent.retryable());
    }

    @Test
    void exhaustedQuotaIsNotRetried() {
        fake.enqueue(FakeOpenAi.json(429, "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and "
                + "billing details.\",\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}"));
        OpenAiProvider provider = provider(2);
        ProviderError error = failure(provider);
        assertEquals(Category.QUOTA_EXHAUSTED, error.category());
        assertFalse(error.retryable());
        assertEquals(1, fake.requests());
        assertEquals(PluginHealth.Status.DEGRADED, provider.health().status(), "an account problem shows in health");
        assertTrue(provider.health().message().contains("quota"));

        fake.enqueueText("paid", 1, 1);
        provider.chat(hello());
        assertEquals(PluginHealth.Status.UP, provider.health().status(), "a success clears it");

        fake.enqueue(FakeOpenAi.json(402, "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\"}}"));
        assertEquals(Category.QUOTA_EXHAUSTED, failure(provider).category(), "OpenRouter's 402");
    }

    @Test
    void contextLengthFromOpenAiVllmAndLlamaCpp() {
        fake.enqueue(FakeOpenAi.json(400, "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens. However, "
                        + "your messages resulted in 130000 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
                        + "\"code\":\"context_length_exceeded\"}}", "x-request-id", "req_ctx"));
        ProviderError openai = failure(provider(2));
        assertEquals(Category.CONTEXT_LENGTH, openai.category());
        assertEquals(400, openai.httpStatus());
        assertEquals("invalid_request_error", openai.providerType());
        assertEquals("context_length_exceeded", openai.providerCode());
        assertEquals("req_ctx", openai.requestId());
        assertFalse(openai.retryable());
        assertTrue(openai.message().contains("maximum context length is 128000"), openai.message());
        assertTrue(openai.message().startsWith("provider 'main': HTTP 400 (context_length_exceeded)"), openai.message());

        fake.enqueue(FakeOpenAi.json(400, "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. "
                + "However, you requested 5000 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}"));
        assertEquals(Category.CONTEXT_LENGTH, failure(provider(0)).category(), "vLLM's flat error");

        fake.enqueue(FakeOpenAi.json(400, "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size, "
                + "try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":5000,\"n_ctx\":4096}}"));
        assertEquals(Category.CONTEXT_LENGTH, failure(provider(0)).category(), "llama.cpp");
    }

    @Test
    void azureContentFilterAndMissingDeployment() {
        fake.enqueue(FakeOpenAi.json(400, """
                {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                  "type":null,"param":"prompt","code":"content_filter","status":400,
                  "innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{
                    "hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":true,"detected":true}}}}}
                """, "apim-request-id", "apim-9"));
        ProviderError filtered = failure(provider(2));
        assertEquals(Category.CONTENT_FILTERED, filtered.category());
        assertFalse(filtered.retryable());
        assertEquals("apim-9", filtered.requestId());
        assertEquals("content_filter", filtered.providerCode());
        assertTrue(filtered.rawBody().contains("jailbreak"), "the raw body keeps the filter results");
        assertTrue(filtered.message().endsWith("content management policy. (filtered: jailbreak)"),
                "what fired, where the message said only that a filter did: " + filtered.message());

        fake.enqueue(FakeOpenAi.json(400, """
                {"error":{"message":"filtered","code":"content_filter",
                  "innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":true,"severity":"high"},"sexual":{"filtered":false},
                  "violence":{"filtered":true,"severity":"medium"}}}}}
                """));
        assertTrue(failure(provider(0)).message().endsWith("filtered (filtered: hate (high), violence (medium))"));

        fake.enqueue(FakeOpenAi.json(404, "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this "
                + "resource does not exist.\"}}"));
        ProviderError missing = failure(provider(2));
        assertEquals(Category.NOT_FOUND, missing.category());
        assertTrue(missing.message().contains("DeploymentNotFound"), missing.message());
        assertTrue(missing.message().endsWith("does not exist. (model 'gpt-5.4-mini')"), missing.message());
        // Azure's message does not say which deployment: the failure does
        fake.enqueue(FakeOpenAi.json(404, "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API"
                + " deployment for this resource does not exist.\"}}"));
        ProviderError missingDeployment = assertThrows(ProviderException.class, () -> provider(0, "dialect", "azure",
                "defaultModel", "gpt4o-prod").chat(ChatRequest.of(null, null, List.of(Message.user("hi"))))).error();
        assertTrue(missingDeployment.message().endsWith("does not exist. (deployment 'gpt4o-prod')"),
                missingDeployment.message());

        // APIM's quotas answer 403; one that says when it resets soon is a rate limit to wait for (walkthrough: it was
        // QUOTA_EXHAUSTED, not retried, and the router ranked the provider last until a call to it succeeded)
        fake.enqueue(FakeOpenAi.json(403, "{\"statusCode\":403,\"message\":\"Out of call volume quota. Quota will be"
                + " replenished in 00:00:42.\"}"));
        ProviderError replenished = failure(provider(0));
        assertEquals(Category.RATE_LIMITED, replenished.category(), "APIM quota as 403");
        assertEquals(Duration.ofSeconds(42), replenished.retryAfter());
        assertTrue(replenished.retryable());
        fake.enqueue(FakeOpenAi.json(403, "{\"statusCode\":403,\"message\":\"Token limit exceeded. Quota will reset in"
                + " 30 seconds\"}"));
        assertEquals(Duration.ofSeconds(30), failure(provider(0)).retryAfter());
        fake.enqueue(FakeOpenAi.json(403, "{\"statusCode\":403,\"message\":\"Out of call volume quota. Quota will be"
                + " replenished in 23:10:00.\"}"));
        ProviderError forToday = failure(provider(0));
        assertEquals(Category.QUOTA_EXHAUSTED, forToday.category(), "a quota for the day is exhausted");
        assertFalse(forToday.retryable());
        fake.enqueue(FakeOpenAi.json(403, "{\"error\":{\"message\":\"You exceeded your quota\"}}"));
        assertEquals(Category.QUOTA_EXHAUSTED, failure(provider(0)).category(), "no time said");
    }

    @Test
    void theKeyNeverAppearsInErrors() {
        fake.enqueueAuthError();
        OpenAiProvider provider = provider(2);
        ProviderError error = failure(provider);
        assertEquals(Category.AUTH, error.category());
        assertFalse(error.retryable());
        assertFalse(error.message().contains("SECRET"), error.message());
        assertFalse(error.rawBody().contains("SECRET"), error.rawBody());
        assertTrue(error.message().contains("Incorrect API key provided: ****"), error.message());
        assertEquals(1, fake.requests());
        assertEquals(PluginHealth.Status.DEGRADED, provider.health().status());
        assertFalse(provider.health().message().contains("SECRET"));

        fake.enqueueAuthError();
        OpenAiProvider azure = provider(0, "dialect", "azure", "defaultModel", "dep");
        ProviderError azureError = failure(azure);
        assertFalse(azureError.message().contains("az-SECRET"), azureError.message());
    }

    @Test
    void serverErrorsAreRetriedUntilRetriesAreSpent() {
        fake.enqueueServerError();
        fake.enqueueServerError();
        fake.enqueueText("third time", 1, 1);
        assertEquals("third time", provider(2).chat(hello()).message().text());
        assertEquals(3, fake.requests());

        fake.enqueueServerError();
        fake.enqueueServerError();
        ProviderError spent = failure(provider(1));
        assertEquals(Category.SERVER, spent.category());
        assertEquals(500, spent.httpStatus());
        assertTrue(spent.retryable());
    }

    @Test
    void overloadAndTheServersOwnRetryVerdict() {
        fake.enqueue(FakeOpenAi.json(503, "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}"));
        fake.enqueueText("loaded", 1, 1);
        assertEquals("loaded", provider(1).chat(hello()).message().text(), "llama.cpp's 503 while loading is retried");

        fake.enqueue(FakeOpenAi.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}", "x-should-retry", "false"));
        fake.enqueueText("must not be reached", 1, 1);
        ProviderError error = failure(provider(2));
        assertEquals(Category.SERVER, error.category());
        assertFalse(error.retryable(), "x-should-retry: false wins");
        assertEquals(3, fake.requests());
    }

    @Test
    void errorBodiesThatAreNotTheVendorsError() {
        // a proxy's HTML page: LlmProviderContract.aProxysErrorPageIsARetryableServerErrorQuotingIt
        fake.enqueue(FakeOpenAi.json(400, "{\"error\":\"model 'llama9' not found\"}"));
        ProviderError ollama = failure(provider(0));
        assertEquals(Category.INVALID_REQUEST, ollama.category());
        assertTrue(ollama.message().contains("model 'llama9' not found"), ollama.message());

        fake.enqueue(FakeOpenAi.json(401, ""));
        ProviderError empty = failure(provider(0));
        assertEquals(Category.AUTH, empty.category());
        assertTrue(empty.message().contains("HTTP 401"), empty.message());
    }

    @Test
    void aResetConnectionIsRetriedThenReportedAsNetwork() {
        fake.enqueue(FakeOpenAi.reset());
        fake.enqueueText("after the reset", 1, 1);
        assertEquals("after the reset", provider(1).chat(hello()).message().text());

        fake.enqueue(FakeOpenAi.reset());
        fake.enqueue(FakeOpenAi.reset());
        ProviderError error = failure(provider(1));
        assertEquals(Category.NETWORK, error.category(), error.toString());
        assertTrue(error.retryable());
    }

    @Test
    void anAnswerCutOffInTransitIsRetried() {
        fake.enqueue(FakeOpenAi.cutOff("application/json", "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"mess"));
        fake.enqueueText("whole", 1, 1);
        assertEquals("whole", provider(1).chat(hello()).message().text());

        fake.enqueue(FakeOpenAi.cutOff("application/json", "{\"id\""));
        ProviderError error = failure(provider(0));
        assertEquals(Category.NETWORK, error.category(), error.toString());
        assertTrue(error.message().contains("the server closed the connection before the end of its answer"),
                error.message());
    }

    @Test
    void nobodyListening() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = socket.getLocalPort();
        }
        OpenAiProvider provider = Providers.provider("local", Map.of(), "dialect", "ollama", "baseUrl",
                "http://127.0.0.1:" + port + "/v1", "maxRetries", 0);
        ProviderError error = assertThrows(ProviderException.class, () -> provider.chat(hello())).error();
        assertEquals(Category.NETWORK, error.category());
        assertTrue(error.retryable());
        assertTrue(error.message().contains("provider 'local'"), error.message());
        // a local server not started reads UP until a call shows it: then DEGRADED until a call succeeds
        assertEquals(PluginHealth.Status.DEGRADED, provider.health().status());
        assertTrue(provider.health().message().contains("cannot connect"), provider.health().message());
    }

    @Test
    void aSlowAnswerTimesOut() {
        fake.enqueueDelayed(Duration.ofSeconds(10), "late");
        OpenAiProvider impatient = provider(0, "requestTimeoutMs", 300L);
        long start = System.nanoTime();
        ProviderError error = failure(impatient);
        assertEquals(Category.TIMEOUT, error.category());
        assertTrue(error.retryable());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }
}
