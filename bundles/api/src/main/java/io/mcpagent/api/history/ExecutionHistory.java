package io.mcpagent.api.history;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The executions the platform ran, recorded from the events it publishes. Kept across restarts; executions in flight
 * when the runtime stopped or the process died read {@code INTERRUPTED} after the next start.
 * <p>
 * What it gives back is masked when read, by the platform's {@link io.mcpagent.api.security.SecretMasker} as it is
 * then (by the patterns of {@link io.mcpagent.api.security.Secrets} alone while there is none): a record's task,
 * output, error, warnings, analysis, decision and agent names, and a step's subject and detail, so a secret stored raw
 * (written before it was configured, or while the masker was absent) is not shown. Tenant, pattern and a step's
 * source come back as stored, and queries match what is stored.
 */
@ProviderType
public interface ExecutionHistory {

    Optional<ExecutionRecord> find(String executionId);

    /**
     * The recorded executions whose id starts with {@code prefix}, of {@code tenant} ({@code null}: of any), at most
     * {@code max}, in id order: how an operator names an execution by the first characters of the id a listing shows
     * ({@code agent:show 2d739357}). The prefix is matched as written, {@code %} and {@code _} included (since 1.3).
     *
     * @throws IllegalArgumentException if {@code prefix} is empty or {@code max < 1}
     */
    List<ExecutionRecord> findByIdPrefix(String prefix, String tenant, int max);

    /** The execution's steps in order; empty for an unknown id. */
    List<ExecutionStep> steps(String executionId);

    /** A page of executions matching the query, newest first. */
    List<ExecutionRecord> query(HistoryQuery query);

    /** How many executions match the query's criteria (offset and limit ignored). */
    long count(HistoryQuery query);

    /** Deletes executions that finished before {@code cutoff}, with their steps; returns how many. */
    int purgeFinishedBefore(Instant cutoff);
}
