package io.mcpagent.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} ({@code etc/io.mcpagent.http.cfg.json}). */
@ObjectClassDefinition(name = "MCP-Agent HTTP API",
        description = "REST API under /api/v1, its API keys, and the Prometheus metrics at /metrics.")
public @interface HttpConfig {
    String PID = "io.mcpagent.http";

    @AttributeDefinition(description = "Largest request body accepted, in bytes (1 to 1073741824: a body is read into"
            + " memory); larger ones get 413.", min = "1", max = "1073741824")
    long maxRequestBytes() default 1024 * 1024;

    @AttributeDefinition(description = "On first start only: a file holding the admin API key to use instead of"
            + " generating one (the environment variable MCPAGENT_ADMIN_KEY takes precedence).")
    String adminKeyFile() default "";

    @AttributeDefinition(description = "Whether GET /metrics needs an API key of the role admin (the figures are every"
            + " tenant's). Turn it off only when nobody but the scraper reaches the HTTP port, e.g. it binds"
            + " 127.0.0.1.")
    boolean metricsRequireKey() default true;

    @AttributeDefinition(description = "JWT bearer tokens: the file holding the key that signs them. An HS256 secret"
            + " (the file's bytes, at least 32), an RS256 public key in PEM, or a JWK set (JSON). Empty: only API keys"
            + " are accepted.")
    String jwtKeyFile() default "";

    @AttributeDefinition(description = "JWT bearer tokens: the issuer ('iss') they must name; empty: any.")
    String jwtIssuer() default "";

    @AttributeDefinition(description = "JWT bearer tokens: the audience ('aud') they must name; empty: any.")
    String jwtAudience() default "";

    @AttributeDefinition(description = "JWT bearer tokens: the claim holding the role (viewer, operator, admin), a"
            + " string or an array of strings (the highest role wins).")
    String jwtRoleClaim() default "role";

    @AttributeDefinition(description = "JWT bearer tokens: the claim holding the tenant; absent: the default tenant.")
    String jwtTenantClaim() default "tenant";

    @AttributeDefinition(description = "Requests per second each API key or token may make (token bucket); 0: no limit.",
            min = "0")
    double rateLimitPerSecond() default 20;

    @AttributeDefinition(description = "Requests an API key or token may make at once before the rate applies (at"
            + " least 1).", min = "1")
    int rateLimitBurst() default 100;

    @AttributeDefinition(description = "Requests per second all the keys and tokens of one tenant may make together;"
            + " 0: no limit.", min = "0")
    double tenantRateLimitPerSecond() default 100;

    @AttributeDefinition(description = "Requests one tenant's callers may make at once before the tenant's rate"
            + " applies (at least 1).", min = "1")
    int tenantRateLimitBurst() default 500;

    @AttributeDefinition(description = "Event streams (GET /api/v1/executions/{id}/events) one API key or token may"
            + " hold open at once (1 to 1000); past them it gets 429. Each open stream holds a connection and a thread."
            + " A change applies to the next stream opened; open ones stay.", min = "1", max = "1000")
    int maxEventStreamsPerCaller() default 10;

    @AttributeDefinition(description = "Event streams the API holds open at once for all callers together (1 to"
            + " 10000); past them a request gets 429. A change applies to the next stream opened; open ones stay.",
            min = "1", max = "10000")
    int maxEventStreams() default 100;

    @AttributeDefinition(description = "Failed authentications (401, refused console logins) one remote address (an"
            + " IPv6 one's /64) may make within a minute; past them the address gets 429 until the minute is over, whatever credential it"
            + " presents. 0: no limit. Behind a reverse proxy every client shares its address unless trustedProxies"
            + " names the proxy.", min = "0")
    int maxFailedAuthenticationsPerMinute() default 20;

    @AttributeDefinition(description = "Reverse proxies (IP addresses and CIDR ranges: 10.0.0.5, 10.0.0.0/8,"
            + " fd00::/8) whose X-Forwarded-For (or Forwarded: for=) header names the client: the failed"
            + " authentication throttle and the audit then count and record the client's address rather than the"
            + " proxy's. Only proxies that set that header themselves: through any other it is the client's own word."
            + " Empty: every peer is the client; the headers are ignored.")
    String[] trustedProxies() default {};
}
