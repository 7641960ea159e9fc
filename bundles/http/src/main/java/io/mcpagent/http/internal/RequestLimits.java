package io.mcpagent.http.internal;

import java.time.Duration;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.security.Principal;

/**
 * Limits of the requests the API serves: the largest request body ({@code maxRequestBytes}), and the rate limits of
 * authenticated callers, a token bucket per caller (API key or token) and one per tenant (an admin's requests count in
 * none: it belongs to no tenant), from
 * {@code rateLimitPerSecond}/{@code rateLimitBurst} and {@code tenantRateLimitPerSecond}/{@code tenantRateLimitBurst};
 * a rate of 0 turns that limit off; and the event streams open at once ({@code maxEventStreamsPerCaller},
 * {@code maxEventStreams}). A new configuration starts with full buckets; one with a value out of its range
 * is refused (see {@link GuardedConfiguration}) and the limits in force stay.
 */
@Component(service = {RequestLimits.class, ProblemReporter.class}, configurationPid = HttpConfig.PID)
public final class RequestLimits implements ProblemReporter {
    /** The largest {@code maxRequestBytes}: a body is read into memory whole. */
    static final long MAX_REQUEST_BYTES_CEILING = 1L << 30;
    /** Buckets kept at most per kind; callers are keys and tenants, so this bounds memory, not who is served. */
    private static final int MAX_BUCKETS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(RequestLimits.class);

    /** The event streams one caller ({@code perCaller}) and all together ({@code inAll}) may hold open at once. */
    record StreamLimits(int perCaller, int inAll) {
    }

    /** The limits in force; either kind of buckets may be null (no limit). */
    private record Limits(long maxRequestBytes, TokenBuckets callers, TokenBuckets tenants, StreamLimits streams) {
        /** @throws IllegalArgumentException naming the property whose value is out of its range */
        static Limits from(HttpConfig config) {
            long maxRequestBytes = config.maxRequestBytes();
            if (maxRequestBytes < 1 || maxRequestBytes > MAX_REQUEST_BYTES_CEILING) {
                throw new IllegalArgumentException("maxRequestBytes must be within [1, " + MAX_REQUEST_BYTES_CEILING
                        + "], was " + maxRequestBytes);
            }
            StreamLimits streams = new StreamLimits(
                    (int) ConfigRanges.within("maxEventStreamsPerCaller", config.maxEventStreamsPerCaller(), 1, 1000),
                    (int) ConfigRanges.within("maxEventStreams", config.maxEventStreams(), 1, 10_000));
            return new Limits(maxRequestBytes,
                    buckets("rateLimitPerSecond", config.rateLimitPerSecond(), "rateLimitBurst", config.rateLimitBurst()),
                    buckets("tenantRateLimitPerSecond", config.tenantRateLimitPerSecond(), "tenantRateLimitBurst",
                            config.tenantRateLimitBurst()), streams);
        }

        private static TokenBuckets buckets(String rateProperty, double perSecond, String burstProperty, int burst) {
            if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException(rateProperty + " must be a finite number of at least 0 (0: no "
                        + "limit), was " + perSecond);
            }
            ConfigRanges.atLeast(burstProperty, burst, 1);
            return perSecond > 0 ? new TokenBuckets(perSecond, burst, MAX_BUCKETS, System::nanoTime) : null;
        }
    }

    private final GuardedConfiguration<HttpConfig, Limits> configuration =
            new GuardedConfiguration<>(HttpConfig.PID, HttpConfig.class, Limits::from, LOG::error, LOG::info);

    @Activate
    public RequestLimits(HttpConfig config) {
        configuration.update(config);
    }

    @Modified
    void modified(HttpConfig config) {
        configuration.update(config);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }

    /** The largest request body accepted, in bytes. */
    long maxRequestBytes() {
        return configuration.settings().maxRequestBytes();
    }

    /** The event streams that may be open at once ({@code maxEventStreamsPerCaller}, {@code maxEventStreams}). */
    StreamLimits streamLimits() {
        return configuration.settings().streams();
    }

    /** Null when {@code caller} may go on; else the 429 to answer, with the wait in {@code Retry-After}. */
    ApiError check(Principal caller) {
        Limits current = configuration.settings();
        Duration wait = current.callers() == null ? null : current.callers().take(caller.actor());
        if (wait != null) {
            return tooMany("the API key or token " + caller.actor() + " made more requests than its rate allows", wait);
        }
        // an admin belongs to no tenant (ownTenant() null): not counted with, nor held up by, the default tenant's
        // callers, whose tenant its tenant() names as the one its tasks run for
        String tenant = caller.ownTenant();
        wait = current.tenants() == null || tenant == null ? null : current.tenants().take(tenant);
        if (wait != null) {
            return tooMany("tenant '" + tenant + "' made more requests than its rate allows", wait);
        }
        return null;
    }

    private static ApiError tooMany(String why, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return ApiError.tooManyRequests(why + "; retry after " + seconds + " s (rateLimitPerSecond and"
                + " tenantRateLimitPerSecond in etc/" + HttpConfig.PID + ".cfg.json)", seconds);
    }
}
