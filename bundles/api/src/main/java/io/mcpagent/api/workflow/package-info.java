/**
 * Workflow patterns: the {@link io.mcpagent.api.workflow.WorkflowPattern} SPI, the context the platform hands it, and execution results;
 * an execution started under an id its caller chose (1.4); the {@code warnings} of {@code ExecutionResult} and
 * {@code WorkerResult} (1.5); {@code WorkflowEngine.awaitRemovedPattern}, a pattern being replaced waited for (1.6);
 * {@code WorkflowContext.activity}, what a cancellation cuts short, named in the cancelled result (1.7);
 * {@code WorkflowPattern.BOUNDED_PROPERTY}, a pattern whose suitability is asked on the caller's thread (1.8);
 * {@code WorkflowEngine.whyNotComingBack}, the bundle of a pattern that is not coming back and what happened to it
 * (1.9); {@code WorkflowPattern.MODEL_CAPABILITIES_PROPERTY}, what every model call of a pattern's agents needs (1.10).
 */
@Version("1.10.0")
@Export
package io.mcpagent.api.workflow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
