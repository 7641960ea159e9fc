package io.mcpagent.api.security;

import java.time.Duration;
import java.util.Enumeration;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Failed authentications by remote address, shared by the REST API and the web console so that a credential guessed
 * on one is throttled on both: past a configured number of failures from one address within a minute, that address
 * is refused (429 with {@code Retry-After}) until the minute is over, whatever credential it presents, so guessing
 * gets no answer. Each failure is audited as denied, at most once per address and action a minute (the next record
 * counts the ones left out). Successful authentications are neither counted nor refused below the limit. The address
 * is the request's {@link #clientAddress}: its peer's, or the client's a trusted reverse proxy names. The platform's
 * implementation counts an IPv6 address by its /64 (one subscriber's, through which a client could rotate).
 */
@ProviderType
public interface FailedAuthentications {
    /** How long {@code remoteAddress} is still refused; empty when it may try to authenticate. */
    Optional<Duration> blocked(String remoteAddress);

    /**
     * Counts one failed authentication from {@code remoteAddress} and audits it as {@code action} by {@code actor}
     * (the caller not being known, e.g. {@code console:anonymous}), denied, on {@code target}, saying {@code why}.
     */
    void failed(String remoteAddress, String actor, String action, String target, String why);

    /**
     * The address to count and audit a request's failures by: {@code peerAddress} (the servlet request's
     * {@code getRemoteAddr()}), unless that peer is a reverse proxy the configuration trusts; then the client that
     * proxy names in the request's {@code X-Forwarded-For} (or, without it, {@code Forwarded: for=}) header. Headers
     * of an untrusted peer are ignored, and a malformed one gives the peer's address: this never throws.
     *
     * @param peerAddress the address of the connection's other end, as the servlet container gives it; may be null
     * @param headers     the request's header lines by name, as the servlet request's {@code getHeaders}; it may
     *                    answer null
     * @since 1.8
     */
    String clientAddress(String peerAddress, Function<String, Enumeration<String>> headers);
}
