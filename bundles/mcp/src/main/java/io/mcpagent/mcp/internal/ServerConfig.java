package io.mcpagent.mcp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.mcpagent.provider.support.FactoryInstanceId;

/**
 * One configured MCP server: {@code etc/io.mcpagent.mcp.server~<name>.cfg.json}; the name is the plugin id, or the
 * {@code id} of a configuration made in the Web Console.
 */
@ObjectClassDefinition(name = "MCP server", description = "An MCP server the platform connects to; the name after '~'"
        + " of its PID (etc/io.mcpagent.mcp.server~<name>.cfg.json), or its id, is its plugin id.")
public @interface ServerConfig {

    @AttributeDefinition(description = FactoryInstanceId.DESCRIPTION)
    String id() default "";

    @AttributeDefinition(description = "stdio (a child process), http (Streamable HTTP, falling back to legacy HTTP+SSE) or sse (legacy HTTP+SSE only)")
    String transport() default "stdio";

    @AttributeDefinition(description = "stdio: the program to run")
    String command() default "";

    @AttributeDefinition(description = "stdio: its arguments; ${env:NAME} is replaced by the runtime's environment variable")
    String[] args() default {};

    @AttributeDefinition(description = "stdio: environment, NAME=value; ${env:NAME} refers to the runtime's environment")
    String[] env() default {};

    @AttributeDefinition(description = "stdio: names of further variables of the runtime's environment the server gets;"
            + " without them it gets only HOME, PATH, USER, LANG and a few more, never the runtime's secrets")
    String[] inheritEnv() default {};

    @AttributeDefinition(description = "stdio: working directory")
    String cwd() default "";

    @AttributeDefinition(description = "http/sse: the server URL")
    String url() default "";

    @AttributeDefinition(description = "http/sse: extra headers, 'Name: value'; ${env:NAME} keeps secrets out of the file")
    String[] headers() default {};

    @AttributeDefinition(description = "http: none, or oauth (OAuth 2.1 per the MCP authorization spec on 401/403)")
    String auth() default "none";

    @AttributeDefinition(description = "oauth: pre-registered client id; empty for a client ID metadata document or dynamic registration")
    String oauthClientId() default "";

    // a password, so that Felix's Configuration page does not show a secret written here in clear
    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "oauth: client secret, as ${env:NAME} so it stays out of the file")
    String oauthClientSecret() default "";

    @AttributeDefinition(description = "oauth: https URL of our client ID metadata document, used when the authorization server supports it")
    String oauthClientMetadataUrl() default "";

    @AttributeDefinition(description = "oauth: authorization_code (PKCE; needs an authorization server that approves without a browser) or client_credentials")
    String oauthGrant() default "authorization_code";

    @AttributeDefinition(description = "auto (probe), legacy (initialize, 2024-11-05..2025-11-25) or modern (2026-07-28)")
    String protocol() default "auto";

    @AttributeDefinition(description = "eager (connect on start, reconnect when lost) or lazy (connect on first use)")
    String connect() default "eager";

    @AttributeDefinition(description = "milliseconds the connection and the handshake may take (at least 1)", min = "1")
    long initTimeoutMs() default 30_000;

    @AttributeDefinition(description = "protocol auto: milliseconds server/discover may go unanswered before the server"
            + " is taken as one of the legacy era (at least 1)", min = "1")
    long eraProbeTimeoutMs() default 5_000;

    @AttributeDefinition(description = "per request; progress notifications restart it (at least 1)", min = "1")
    long requestTimeoutMs() default 60_000;

    @AttributeDefinition(description = "cap of one call, whatever progress says (at least 1)", min = "1")
    long maxCallMs() default 600_000;

    /*
     * Not longer by default: the old process runs beside the restarted one meanwhile, with the configuration the
     * operator changed (a token replaced, say), and a stuck call would keep it for up to maxCallMs. Thirty seconds is
     * what Kubernetes gives a stopping pod by default (its termination grace period), and lets most tools' calls end.
     */
    @AttributeDefinition(description = "milliseconds the server may go on finishing its calls in flight after its"
            + " configuration changed, before it stops and cuts off those still running; 0 cuts them off at once"
            + " (at least 0)", min = "0")
    long drainMs() default 30_000;

    @AttributeDefinition(description = "roots offered to the server (paths or file: URIs); none declared when empty")
    String[] roots() default {};

    @AttributeDefinition(description = "tool name globs offered to agents; all when empty")
    String[] allowedTools() default {};

    @AttributeDefinition(description = "tool name globs never offered")
    String[] deniedTools() default {};

    @AttributeDefinition(description = "what the server can do, in the capability vocabulary of"
            + " io.mcpagent.api.task.Capability (file_read, web_search, ...), so that autonomous agents that need it"
            + " are bound to it (a name outside it is left out and reported as a problem); without this, a server"
            + " named after a catalog entry or running its package (npx, uvx, docker, node forms) has the entry's")
    String[] capabilities() default {};

    @AttributeDefinition(description = "calls at once; more wait for a slot within their own time, which the wait"
            + " takes from (at least 1)", min = "1")
    int maxConcurrentCalls() default 16;

    @AttributeDefinition(description = "health check period; 0 disables", min = "0")
    long healthIntervalMs() default 30_000;

    @AttributeDefinition(description = "longest wait between reconnect attempts (at least 1)", min = "1")
    long maxBackoffMs() default 60_000;

    @AttributeDefinition(description = "decline, defaults (accept with the schema's defaults) or handler (an ElicitationHandler service)")
    String elicitation() default "decline";

    @AttributeDefinition(description = "plugin id of the LlmProvider that answers sampling requests; refused when empty")
    String sampling() default "";

    @AttributeDefinition(description = "largest message accepted from the server, in bytes (at least 1)", min = "1")
    int maxMessageBytes() default 16 * 1024 * 1024;

    String name() default "";

    String description() default "";

    @AttributeDefinition(description = "the catalog entry this server was installed from; written by the catalog's"
            + " install, which is what lets uninstall remove it; empty for a server configured by hand")
    String catalogEntry() default "";
}
