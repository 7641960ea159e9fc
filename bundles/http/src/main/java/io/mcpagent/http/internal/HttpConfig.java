package io.mcpagent.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@value #PID} ({@code etc/io.mcpagent.http.cfg.json}). */
@ObjectClassDefinition(name = "MCP-Agent HTTP API",
        description = "REST API under /api/v1, its API keys, and the Prometheus metrics at /metrics.")
public @interface HttpConfig {
    String PID = "io.mcpagent.http";

    @AttributeDefinition(description = "Largest request body accepted, in bytes; larger ones get 413.")
    long maxRequestBytes() default 1024 * 1024;

    @AttributeDefinition(description = "On first start only: a file holding the admin API key to use instead of"
            + " generating one (the environment variable MCPAGENT_ADMIN_KEY takes precedence).")
    String adminKeyFile() default "";

    @AttributeDefinition(description = "Whether GET /metrics needs an API key (role viewer or higher). Turn it off"
            + " only when nobody but the scraper reaches the HTTP port, e.g. it binds 127.0.0.1.")
    boolean metricsRequireKey() default true;
}
