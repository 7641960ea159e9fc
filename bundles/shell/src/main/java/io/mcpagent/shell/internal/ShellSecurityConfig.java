package io.mcpagent.shell.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The shell's access rules: {@code etc/io.mcpagent.shell.cfg.json}. */
@ObjectClassDefinition(name = "Shell access",
        description = "Which role a Gogo session has before anyone logs in, and what auth:login accepts.")
public @interface ShellSecurityConfig {
    String PID = "io.mcpagent.shell";

    @AttributeDefinition(description = "role of a session nobody logged into: admin (the console belongs to whoever "
            + "started the process), operator, viewer, or none (every command of the agent:, mcp:, llm:, plugin: "
            + "scopes asks for auth:login first). It guards the platform's commands only: Gogo's built-ins and"
            + " reflection still run, so a console is admin access to the JVM and must be reachable by admins only")
    String consoleRole() default "admin";
}
