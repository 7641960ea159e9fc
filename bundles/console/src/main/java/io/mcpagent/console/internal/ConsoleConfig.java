package io.mcpagent.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "MCP-Agent web console", description = "Login sessions and uploads of the web console"
        + " at /system/console")
@interface ConsoleConfig {
    String PID = "io.mcpagent.console";

    @AttributeDefinition(description = "A login session ends after this many minutes without a request")
    int sessionIdleMinutes() default 30;

    @AttributeDefinition(description = "A login session ends this many hours after the login, however busy")
    int sessionMaxHours() default 8;

    @AttributeDefinition(description = "Login sessions kept at most; the least recently used goes first")
    int maxSessions() default 1000;

    @AttributeDefinition(description = "Largest bundle jar the Plugins page accepts for deploy/, in MiB")
    int maxUploadMegabytes() default 50;
}
