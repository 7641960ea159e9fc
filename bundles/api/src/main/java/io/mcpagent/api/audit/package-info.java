/**
 * The audit log: who did what administrative action to what, when, and how it ended. The platform writes an entry
 * for every installation, removal, reconfiguration, key change and cancellation, whether it came over HTTP, from the
 * shell or from the runtime itself (a bundle dropped into {@code deploy/}, a file edited in {@code etc/}).
 */
@Version("1.0.0")
@Export
package io.mcpagent.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
