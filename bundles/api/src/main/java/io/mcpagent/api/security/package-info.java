/**
 * Who is calling and what they may do: the roles {@code viewer} &lt; {@code operator} &lt; {@code admin}, the same for
 * the REST API, the web console and the shell, and the {@link io.mcpagent.api.security.Authenticator} that turns a
 * presented credential (an API key or a bearer token) into a {@link io.mcpagent.api.security.Principal},
 * {@link io.mcpagent.api.security.PresentedCredential}, which reads that credential from a request's headers, and
 * {@link io.mcpagent.api.security.Secrets}, which masks secrets in text kept or shown to readers.
 * <p>
 * 1.4: {@link io.mcpagent.api.security.SecretHolder}, the services holding configured secrets, and the
 * {@link io.mcpagent.api.security.SecretMasker}, which masks their values as well as the shapes {@code Secrets} knows, and
 * {@link io.mcpagent.api.security.FailedAuthentications}, which throttles failed authentications by address.
 * <p>
 * 1.5: what a tenant name is, {@link io.mcpagent.api.security.Principal#isTenantName(String)}, so that every way in
 * (REST, JWT claims, the shell) refuses the same names with the same words.
 * <p>
 * 1.6: {@link io.mcpagent.api.security.CredentialRefusedException}, a genuine credential refused with the reason its
 * presenter may be told, which {@code Authenticator.authenticate} throws, so the shell and the console say what the
 * REST API says.
 * <p>
 * 1.7: {@link io.mcpagent.api.security.SecretMasker#showableLength(String)}, how much of a streamed text can be masked
 * and shown before it is finished, so that a held value that spans lines (a PEM key) is not shown in part.
 * <p>
 * 1.8: {@link io.mcpagent.api.security.FailedAuthentications#clientAddress}, the address a request's failures are
 * counted and audited by: the client's that a trusted reverse proxy names, rather than the proxy's own.
 * <p>
 * 1.9: {@link io.mcpagent.api.security.ForwardedRequests}, the scheme, host and port a client addressed as a trusted
 * reverse proxy names them, for the web console's {@code Secure} cookie and its same-origin check behind a proxy
 * terminating TLS.
 * <p>
 * 1.9.1: {@link io.mcpagent.api.security.Secrets#redact} masks exactly as before at a fraction of the cost: a pattern
 * runs only on a text that holds what its matches hold, key names are matched without backtracking, and a URL's
 * scheme is tried once, not from every letter of a long run before {@code ://}.
 * <p>
 * 1.9.2: {@link io.mcpagent.api.security.Secrets#redact} masks a sensitive JSON field's value of any length (one of a
 * few hundred characters threw {@code StackOverflowError} on a small thread stack), and looks for a JWT once per run
 * of its characters (a long run of {@code eyJ} pieces took time quadratic in its length).
 * <p>
 * 1.10: {@link io.mcpagent.api.security.SecretFiles}, a setting naming the file that holds a secret: the file when it
 * is there, and the words for a value that names none, which is never repeated (it may be the secret itself).
 * <p>
 * 1.11: {@link io.mcpagent.api.security.ApiKeys.KeyInfo#tenant()} is null for an admin key, which belongs to no
 * tenant (an admin acts for every one); it read as the default tenant.
 * <p>
 * 1.12: {@link io.mcpagent.api.security.Principal#ownTenant()}, the tenant a caller belongs to as its key lists it:
 * null for an admin, which the audit log records and {@code auth:whoami} shows instead of the default tenant its
 * tasks run for ({@code tenant()}, unchanged).
 */
@Version("1.12.0")
@Export
package io.mcpagent.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
