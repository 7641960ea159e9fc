package io.mcpagent.provider.support;

import java.util.concurrent.atomic.AtomicReference;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;
import io.mcpagent.api.llm.ProviderException;
import io.mcpagent.api.plugin.PluginHealth;

/**
 * Whether the vendor accepts a provider's account: after an answer refusing it (AUTH, PERMISSION or
 * QUOTA_EXHAUSTED, e.g. a revoked key or spent credit) the provider is DEGRADED, naming that answer, until a call is
 * answered with success. A configuration can be right and the account still refused, and only a call shows it.
 */
public final class AccountHealth {
    private final AtomicReference<ProviderError> refusal = new AtomicReference<>();

    /** {@code failure}, remembered when it is the vendor refusing the account (not a check made before sending). */
    public ProviderException noted(ProviderException failure) {
        Category category = failure.error().category();
        boolean refused = category == Category.AUTH || category == Category.PERMISSION
                || category == Category.QUOTA_EXHAUSTED;
        if (refused && failure.error().httpStatus() != 0) {
            refusal.set(failure.error());
        }
        return failure;
    }

    /** A call was answered with success: the account is accepted again. */
    public void succeeded() {
        refusal.set(null);
    }

    /** UP, or DEGRADED naming the last refusal. */
    public PluginHealth health() {
        ProviderError last = refusal.get();
        return last == null ? PluginHealth.up() : PluginHealth.degraded("the last call failed: " + last.message());
    }
}
