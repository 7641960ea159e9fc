package io.mcpagent.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The console's configuration, taken by {@link ConsoleConfiguration} alone and checked into {@link ConsoleSettings},
 * which {@link ConsoleSecurityProvider} and {@link PluginsPage} read from it. Public because
 * {@link io.mcpagent.api.runtime.GuardedConfiguration}, in another bundle, reads each property of it.
 */
@ObjectClassDefinition(name = "MCP-Agent web console", description = "Login sessions and uploads of the web console"
        + " at /system/console")
public @interface ConsoleConfig {
    String PID = "io.mcpagent.console";

    @AttributeDefinition(description = "A login session ends after this many minutes without a request (at least 1)",
            min = "1")
    int sessionIdleMinutes() default 30;

    @AttributeDefinition(description = "A login session ends this many hours after the login, however busy (at least"
            + " 1)", min = "1")
    int sessionMaxHours() default 8;

    @AttributeDefinition(description = "Login sessions kept at most; the least recently used goes first (at least 1)",
            min = "1")
    int maxSessions() default 1000;

    @AttributeDefinition(description = "Largest bundle jar the Plugins page accepts for deploy/, in MiB (at least 1)",
            min = "1")
    int maxUploadMegabytes() default 50;
}
