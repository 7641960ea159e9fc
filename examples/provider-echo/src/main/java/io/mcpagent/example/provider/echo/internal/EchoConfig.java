package io.mcpagent.example.provider.echo.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.mcpagent.provider.support.FactoryInstanceId;

/** One echo provider: {@code etc/io.mcpagent.example.provider.echo~<name>.cfg.json}; the name is its plugin id. */
@ObjectClassDefinition(name = "Echo LLM provider (example)",
        description = "Answers a chat with its last user message, prefixed 'echo: ';"
                + " the name after '~' of its PID, or its id, is its plugin id.")
public @interface EchoConfig {

    @AttributeDefinition(description = FactoryInstanceId.DESCRIPTION)
    String id() default "";

    @AttributeDefinition(description = "the ids of the models it serves, the default first")
    String[] models() default {"echo-1"};

    @AttributeDefinition(description = "the characters in each piece of a streamed answer, at least 1")
    int pieceChars() default 8;
}
