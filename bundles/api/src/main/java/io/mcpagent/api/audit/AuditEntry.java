package io.mcpagent.api.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One administrative action.
 *
 * @param timestamp when it happened
 * @param actor     who did it: an API key's id and name, a token's subject, {@code shell}, or {@link #RUNTIME} for what
 *                  the runtime did on its own (a bundle in {@code deploy/}, a file in {@code etc/})
 * @param role      the actor's role ({@code admin}, {@code operator}, {@code viewer}), or null when it has none
 * @param tenant    the tenant the action was made for, or null
 * @param action    what was done, dotted lower case, e.g. {@code server.install}, {@code plugin.removed},
 *                  {@code config.updated}, {@code apikey.create}, {@code execution.cancel}
 * @param target    what it was done to: a plugin or server id, a configuration PID, a key id, an execution id, the
 *                  shell command or the REST request ({@code GET /api/v1/keys}) that was refused
 * @param outcome   {@link #SUCCEEDED}, {@link #FAILED} or {@link #DENIED}
 * @param detail    a short free text (why it failed, what changed), never a secret; may be null
 */
public record AuditEntry(Instant timestamp, String actor, String role, String tenant, String action, String target,
                         String outcome, String detail) {
    public static final String RUNTIME = "runtime";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String DENIED = "denied";

    public AuditEntry {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
    }
}
