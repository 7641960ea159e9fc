package io.mcpagent.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The console's configuration, taken by {@link ConsoleConfiguration} alone and checked into {@link ConsoleSettings},
 * which {@link ConsoleSecurityProvider} and {@link PluginsPage} read from it. Public because
 * {@link io.mcpagent.api.runtime.GuardedConfiguration}, in another bundle, reads each property of it.
 */
@ObjectClassDefinition(name = "MCP-Agent web console", description = "Login sessions, live progress streams and"
        + " uploads of the web console at /system/console")
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

    @AttributeDefinition(description = "Live progress streams of executions one console user may hold open at once (1"
            + " to 1000); past them the page gets 429. A change applies to the next stream opened; open ones stay.",
            min = "1", max = "1000")
    int maxLiveStreamsPerUser() default 10;

    @AttributeDefinition(description = "Live progress streams the console holds open at once for all users together (1"
            + " to 10000); past them a page gets 429. A change applies to the next stream opened; open ones stay.",
            min = "1", max = "10000")
    int maxLiveStreams() default 100;

    @AttributeDefinition(description = "Largest bundle jar the Plugins page accepts for deploy/, in MiB (at least 1)",
            min = "1")
    int maxUploadMegabytes() default 50;
}
