package io.mcpagent.http.internal;

import java.time.Duration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

import io.mcpagent.api.security.Principal;

/**
 * Rate limits of authenticated callers: a token bucket per caller (API key or token) and one per tenant, from
 * {@code rateLimitPerSecond}/{@code rateLimitBurst} and {@code tenantRateLimitPerSecond}/{@code tenantRateLimitBurst};
 * a rate of 0 turns that limit off. A new configuration starts with full buckets.
 */
@Component(service = RateLimiter.class, configurationPid = HttpConfig.PID)
public final class RateLimiter {
    /** Buckets kept at most per kind; callers are keys and tenants, so this bounds memory, not who is served. */
    private static final int MAX_BUCKETS = 10_000;

    /** The two kinds of buckets; either may be null (no limit). */
    private record Limits(TokenBuckets callers, TokenBuckets tenants) {
    }

    private volatile Limits limits;

    @Activate
    public RateLimiter(HttpConfig config) {
        modified(config);
    }

    @Modified
    void modified(HttpConfig config) {
        limits = new Limits(buckets(config.rateLimitPerSecond(), config.rateLimitBurst()),
                buckets(config.tenantRateLimitPerSecond(), config.tenantRateLimitBurst()));
    }

    private static TokenBuckets buckets(double perSecond, int burst) {
        return perSecond > 0 ? new TokenBuckets(perSecond, Math.max(1, burst), MAX_BUCKETS, System::nanoTime) : null;
    }

    /** Null when {@code caller} may go on; else the 429 to answer, with the wait in {@code Retry-After}. */
    ApiError check(Principal caller) {
        Limits current = limits;
        Duration wait = current.callers() == null ? null : current.callers().take(caller.actor());
        if (wait != null) {
            return tooMany("the API key or token " + caller.actor() + " made more requests than its rate allows", wait);
        }
        wait = current.tenants() == null ? null : current.tenants().take(caller.tenant());
        if (wait != null) {
            return tooMany("tenant '" + caller.tenant() + "' made more requests than its rate allows", wait);
        }
        return null;
    }

    private static ApiError tooMany(String why, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return ApiError.tooManyRequests(why + "; retry after " + seconds + " s (rateLimitPerSecond and"
                + " tenantRateLimitPerSecond in etc/" + HttpConfig.PID + ".cfg.json)", seconds);
    }
}
