package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;

/** {@link AccountHealth}: what the last call found of the account and the server. */
class AccountHealthTest {
    private final AccountHealth health = new AccountHealth();

    private static ProviderException failure(Category category, int status, IOException cause) {
        return new ProviderException(new ProviderError(category, status, null, null, "provider 'p1': " + category
                + (cause == null ? "" : ": " + cause.getMessage()), null, null, true, null), cause);
    }

    @Test
    void aCallThatReachedNoServerLeavesItDegradedUntilACallSucceeds() {
        health.noted(failure(Category.NETWORK, 0, new ConnectException("Connection refused")));
        PluginHealth away = health.health();
        assertEquals(PluginHealth.Status.DEGRADED, away.status());
        assertEquals("the last call failed: provider 'p1': NETWORK: Connection refused", away.message());
        health.succeeded();
        assertEquals(PluginHealth.Status.UP, health.health().status());
    }

    @Test
    void aConnectTimeoutAndAnUnknownHostReachedNoServerEither() {
        health.noted(failure(Category.NETWORK, 0, new HttpConnectTimeoutException("connect timed out")));
        assertEquals(PluginHealth.Status.DEGRADED, health.health().status());
        health.succeeded();
        health.noted(failure(Category.NETWORK, 0, new UnknownHostException("localhsot")));
        assertEquals(PluginHealth.Status.DEGRADED, health.health().status());
    }

    @Test
    void aServerThatAnsweredBadlyOrACancelledCallSaysNothingOfTheHealth() {
        health.noted(failure(Category.NETWORK, 0, new IOException("Connection reset")));
        health.noted(failure(Category.SERVER, 503, null));
        // an interrupt while connecting can end in a ConnectException: the caller left, the server may be there
        health.noted(failure(Category.CANCELLED, 0, new ConnectException("Closed by interrupt")));
        assertEquals(PluginHealth.Status.UP, health.health().status());
    }

    /**
     * A page answered where the API was due, then an HTTP 500 with the API's error body: the server is the API after
     * all, so the health no longer says to check baseUrl (it did, as "the last call failed", until a success). A
     * refused account stays until a call succeeds: an error answer does not show the key accepted.
     */
    @Test
    void anAnswerOfTheApiForgetsAFailureThatSaidTheServerWasAwayOrNoApiButNotARefusedAccount() {
        health.noted(new NotTheApiException(new ProviderError(Category.SERVER, 200, null, null,
                "provider 'p1': the answer is not JSON (Content-Type: text/html): check baseUrl", null, null, false,
                null)));
        assertEquals(PluginHealth.Status.DEGRADED, health.health().status());
        health.noted(failure(Category.SERVER, 500, null));
        assertEquals(PluginHealth.Status.UP, health.health().status());

        health.noted(failure(Category.NETWORK, 0, new ConnectException("Connection refused")));
        health.noted(failure(Category.RATE_LIMITED, 429, null));
        assertEquals(PluginHealth.Status.UP, health.health().status(), "reached after all");

        health.noted(failure(Category.AUTH, 401, null));
        health.noted(failure(Category.SERVER, 500, null));
        assertEquals("the last call failed: provider 'p1': AUTH", health.health().message());
    }

    @Test
    void aRefusedAccountLeavesItDegradedButACheckBeforeSendingDoesNot() {
        health.noted(failure(Category.AUTH, 0, null));
        assertEquals(PluginHealth.Status.UP, health.health().status(), "no key: the setup's health says so");
        health.noted(failure(Category.AUTH, 401, null));
        assertEquals(PluginHealth.Status.DEGRADED, health.health().status());
        assertTrue(health.health().message().contains("AUTH"), health.health().message());
    }
}
