package io.mcpagent.http.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.runtime.ConfigRanges;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.FailedAuthentications;
import io.mcpagent.api.security.ForwardedRequests;
import io.mcpagent.api.security.Principal;

/**
 * The {@link FailedAuthentications} of the REST API and the web console: per remote address (an IPv6 one's /64, see
 * {@link ClientNetwork}), the failures within a minute from its first one ({@code maxFailedAuthenticationsPerMinute}, 0: no limit); the failures are audited
 * through {@link UnauthenticatedAudit}. The address is the client's a {@link TrustedProxies trusted proxy} names, else
 * the peer's ({@code trustedProxies}); as the holder of those proxies, it is also the platform's
 * {@link ForwardedRequests}. At most {@link UnauthenticatedAudit#REMEMBERED} addresses are remembered,
 * the one seen first forgotten first, so memory stays bounded whatever the number of addresses.
 * <p>
 * Immediate, so that the counts outlive the components using it: SCR disposes a delayed component when its last user
 * goes, and the REST API and the console's security provider go whenever a service they need comes back.
 */
@Component(service = {AuthenticationThrottle.class, FailedAuthentications.class, ForwardedRequests.class,
        ProblemReporter.class}, configurationPid = HttpConfig.PID, immediate = true)
public final class AuthenticationThrottle implements FailedAuthentications, ForwardedRequests, ProblemReporter {
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationThrottle.class);

    /** The failures an address may make a minute (0: no limit), and the proxies whose word on the client counts. */
    private record Settings(int maxFailuresPerMinute, TrustedProxies proxies) {
    }

    /** An address's failures since {@code started}. */
    private record Failures(Instant started, int count) {
    }

    private final Clock clock;
    private final RestAudit audit;
    private final UnauthenticatedAudit unauthenticated;
    private final GuardedConfiguration<HttpConfig, Settings> configuration = new GuardedConfiguration<>(HttpConfig.PID,
            HttpConfig.class, config -> new Settings((int) ConfigRanges.atLeast("maxFailedAuthenticationsPerMinute",
            config.maxFailedAuthenticationsPerMinute(), 0), TrustedProxies.of(config.trustedProxies())),
            LOG::error, LOG::info);
    private final Map<String, Failures> failures = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > UnauthenticatedAudit.REMEMBERED;
        }
    };

    @Activate
    public AuthenticationThrottle(HttpConfig config) {
        this(config, Clock.systemUTC());
    }

    AuthenticationThrottle(HttpConfig config, Clock clock) {
        this.clock = clock;
        this.audit = new RestAudit(clock);
        this.unauthenticated = new UnauthenticatedAudit(audit, clock);
        configuration.update(config);
    }

    @Modified
    void modified(HttpConfig config) {
        configuration.update(config);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAudit")
    void bindAudit(AuditLog log, Map<String, Object> properties) {
        audit.bind(log, properties);
    }

    /** Without the log, which DS would ask for again: see {@link io.mcpagent.api.audit.AuditRecorder#unbind(Map)}. */
    void unbindAudit(Map<String, Object> properties) {
        audit.unbind(properties);
    }

    /** A refused configuration, while it is not repaired. */
    @Override
    public List<Problem> problems() {
        return configuration.problems();
    }

    @Override
    public Optional<Duration> blocked(String remoteAddress) {
        int limit = configuration.settings().maxFailuresPerMinute();
        Instant now = clock.instant();
        synchronized (failures) {
            Failures of = failures.get(ClientNetwork.of(remoteAddress));
            if (limit == 0 || of == null || of.count() < limit || !now.isBefore(of.started().plus(WINDOW))) {
                return Optional.empty();
            }
            return Optional.of(Duration.between(now, of.started().plus(WINDOW)));
        }
    }

    @Override
    public void failed(String remoteAddress, String actor, String action, String target, String why) {
        Instant now = clock.instant();
        synchronized (failures) {
            failures.compute(ClientNetwork.of(remoteAddress), (address, of) -> of == null
                    || !now.isBefore(of.started().plus(WINDOW)) ? new Failures(now, 1)
                    : new Failures(of.started(), of.count() + 1));
        }
        unauthenticated.refused(actor, action, target, remoteAddress, why);
    }

    /**
     * A caller refused for its role (403) by an endpoint outside the API servlet ({@code /metrics}), audited as the
     * API audits its own ({@code api.denied}): every such endpoint checks callers through this component already.
     */
    void denied(Principal caller, String target, String why) {
        audit.record(caller, "api.denied", target, AuditEntry.DENIED, why);
    }

    @Override
    public String clientAddress(String peerAddress, Function<String, Enumeration<String>> headers) {
        return configuration.settings().proxies().clientAddress(peerAddress, headers);
    }

    @Override
    public Origin origin(String peerAddress, Origin received, Function<String, Enumeration<String>> headers) {
        return configuration.settings().proxies().origin(peerAddress, received, headers);
    }

    /**
     * The message of the refusal of a client that failed too often, naming what was counted (an IPv4 address, an IPv6
     * /64), with the wait in whole seconds.
     */
    static String refusal(String clientAddress, Duration wait) {
        String counted = ClientNetwork.of(clientAddress);
        return "too many failed authentications from " + counted
                + (counted.endsWith("/64") ? " (the addresses of an IPv6 /64 are counted together)" : "")
                + "; retry after " + seconds(wait) + " s (maxFailedAuthenticationsPerMinute in etc/" + HttpConfig.PID
                + ".cfg.json)";
    }

    /** A wait in whole seconds, rounded up, at least 1: what a Retry-After header says of it. */
    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
