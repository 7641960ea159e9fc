package io.mcpagent.provider.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import io.mcpagent.api.llm.LlmProvider;

/**
 * A third party's fake written before the optional {@link WireFake} methods existed has the contract tests asking for
 * them skipped with a reason, not failed; a contract test that does not apply to the provider is skipped with a reason
 * too, not passed.
 */
class FakeBeforeOptionalMethodsTest {

    @Test
    void theMalformedAnswerTestIsSkippedSayingWhy() {
        TestExecutionResult result = run("aMalformedAnswerIsARetryableServerErrorCarryingWhatItBilled");
        assertEquals(TestExecutionResult.Status.ABORTED, result.getStatus(), result.toString());
        String reason = result.getThrowable().orElseThrow().getMessage();
        assertTrue(reason.contains("does not implement WireFake.enqueueMalformedAnswer"), reason);
    }

    @Test
    void theStreamCutAfterUsageTestIsSkippedSayingWhy() {
        TestExecutionResult result = run("aStreamBrokenOffAfterItsUsageHandsTheUsageOnBeforeItFails");
        assertEquals(TestExecutionResult.Status.ABORTED, result.getStatus(), result.toString());
        String reason = result.getThrowable().orElseThrow().getMessage();
        assertTrue(reason.contains("WireFake.enqueueStreamCutAfterUsage answered false"), reason);
    }

    @Test
    void theTestOfTheKeyInAMalformedAnswerIsSkippedSayingWhy() {
        TestExecutionResult result = run("aMalformedAnswerKeepsItsBodyWithoutTheKey");
        assertEquals(TestExecutionResult.Status.ABORTED, result.getStatus(), result.toString());
        String reason = result.getThrowable().orElseThrow().getMessage();
        assertTrue(reason.contains("does not implement WireFake.enqueueMalformedAnswerHolding"), reason);
    }

    @Test
    void theTestOfAMalformedEventAfterContentIsSkippedSayingWhy() {
        TestExecutionResult result = run("aMalformedEventAfterStreamedContentIsARetryableServerErrorWithoutTheKey");
        assertEquals(TestExecutionResult.Status.ABORTED, result.getStatus(), result.toString());
        String reason = result.getThrowable().orElseThrow().getMessage();
        assertTrue(reason.contains("does not implement WireFake.enqueueMalformedEventAfterText"), reason);
    }

    @Test
    void theTestsOfTheFakeMethodsOf1_11AreSkippedSayingWhy() {
        Map<String, String> reasons = Map.of(
                "aPlainAnswerToAStreamedCallFailsWithoutRetryingAndLeavesTheHealthAlone",
                "does not implement WireFake.enqueuePlainAnswer",
                "interruptingAStreamCancelsItWithAStreamErrorLast", "does not implement WireFake.enqueueTextThenSilence",
                "aStreamSilentForTheRequestTimeoutIsARetryableTimeout",
                "does not implement WireFake.enqueueTextThenSilence");
        reasons.forEach((test, reason) -> {
            TestExecutionResult result = run(test);
            assertEquals(TestExecutionResult.Status.ABORTED, result.getStatus(), test + ": " + result);
            String said = result.getThrowable().orElseThrow().getMessage();
            assertTrue(said.contains(reason), test + ": " + said);
        });
    }

    /** A test class written before 1.11 builds no provider with a request timeout: the timeout tests are skipped. */
    @Test
    void theTimeoutTestIsSkippedSayingWhyWithoutAProviderOfARequestTimeout() {
        TestExecutionResult result = run("anAnswerSlowerThanTheRequestTimeoutIsARetryableTimeout");
        assertEquals(TestExecutionResult.Status.ABORTED, result.getStatus(), result.toString());
        String reason = result.getThrowable().orElseThrow().getMessage();
        assertTrue(reason.contains("does not implement createProvider with a request timeout"), reason);
    }

    @Test
    void theMissingKeyTestIsSkippedSayingWhyForAProviderThatNeedsNone() {
        TestExecutionResult result = run(ContractOfAKeylessProvider.class, "withoutItsKeyTheProviderIsDownAndSaysWhatToSet");
        assertEquals(TestExecutionResult.Status.ABORTED, result.getStatus(), result.toString());
        String reason = result.getThrowable().orElseThrow().getMessage();
        assertTrue(reason.contains("the provider needs no key"), reason);
    }

    private static TestExecutionResult run(String contractTest) {
        return run(ContractOfAnOlderFake.class, contractTest);
    }

    private static TestExecutionResult run(Class<? extends LlmProviderContract> contract, String contractTest) {
        List<TestExecutionResult> results = new ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(contract, contractTest)).build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        if (test.isTest()) {
                            results.add(result);
                        }
                    }
                });
        assertEquals(1, results.size(), results.toString());
        return results.get(0);
    }

    /** Run only through the launcher above; its name keeps the build's test run from picking it up. */
    static class ContractOfAnOlderFake extends LlmProviderContract {
        @Override
        protected WireFake createFake() {
            return new OlderFake();
        }

        @Override
        protected LlmProvider createProvider(URI baseUri, String apiKey, int maxRetries) {
            throw new AssertionError("the skipped tests build no provider");
        }

        @Override
        protected String model() {
            return "any";
        }
    }

    /** A provider that needs no key (a local server's); run only through the launcher above, as the one before. */
    static class ContractOfAKeylessProvider extends ContractOfAnOlderFake {
        @Override
        protected boolean requiresApiKey() {
            return false;
        }
    }

    /** A fake implementing only what WireFake asked for before 1.6. */
    static class OlderFake implements WireFake {
        @Override
        public URI baseUri() {
            return URI.create("http://127.0.0.1:9");
        }

        @Override
        public void enqueueText(String text, int inputTokens, int outputTokens) {
        }

        @Override
        public void enqueueToolCalls(List<ToolCall> calls) {
        }

        @Override
        public void enqueueRateLimited(Duration retryAfter) {
        }

        @Override
        public void enqueueAuthError() {
        }

        @Override
        public void enqueueServerError() {
        }

        @Override
        public void enqueueDelayed(Duration delay, String text) {
        }

        @Override
        public int requests() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
