package io.mcpagent.provider.scripted.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.mcpagent.provider.support.FactoryInstanceId;

/** One scripted provider: {@code etc/io.mcpagent.provider.scripted~<name>.cfg.json}; the name is its plugin id. */
@ObjectClassDefinition(name = "Scripted LLM provider",
        description = "Replays a JSON script of answers, tool calls and errors;"
                + " the name after '~' of its PID, or its id, is its plugin id.")
public @interface ScriptedConfig {

    @AttributeDefinition(description = FactoryInstanceId.DESCRIPTION)
    String id() default "";

    @AttributeDefinition(description = "the script file (JSON); a relative path is taken from the runtime's home "
            + "(framework property mcpagent.home)")
    String script() default "";

    @AttributeDefinition(description = "after the last response start again from the first; when false further calls "
            + "fail with INVALID_REQUEST 'script exhausted'")
    boolean loop() default false;
}
