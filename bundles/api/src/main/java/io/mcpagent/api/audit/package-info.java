/**
 * The audit log: who did what administrative action to what, when, and how it ended. The platform writes an entry
 * for every installation, removal, reconfiguration, key change and cancellation, whether it came over HTTP, from the
 * shell or from the runtime itself (a bundle dropped into {@code deploy/}, a file edited in {@code etc/}).
 * <p>
 * 1.1: {@link io.mcpagent.api.audit.AuditRecorder}, the log as a recording component references it, holding the
 * entries recorded while it is away (its provider restarting) until it is back.
 * <p>
 * 1.2: {@link io.mcpagent.api.audit.AuditQuery#action()} finds a family of actions by its name without the trailing
 * dot too ({@code server} finds {@code server.install}), in any case; it found the exact action only, silently
 * nothing for {@code server}.
 * <p>
 * 1.3: {@link io.mcpagent.api.audit.AuditRecorder#bind(AuditLog, java.util.Map)} and
 * {@link io.mcpagent.api.audit.AuditRecorder#unbind(java.util.Map)}, unbinding by the service's properties: DS asks
 * for the service to hand an unbind method that takes it, which activated a failed audit log once more.
 */
@Version("1.3.0")
@Export
package io.mcpagent.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
