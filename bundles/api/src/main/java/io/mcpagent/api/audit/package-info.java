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
 */
@Version("1.2.0")
@Export
package io.mcpagent.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
