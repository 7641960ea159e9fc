package io.mcpagent.api.llm;

import java.util.Objects;

/** Whether and which tool the model must call. */
public sealed interface ToolChoice {
    record Auto() implements ToolChoice {
    }

    record None() implements ToolChoice {
    }

    record Required() implements ToolChoice {
    }

    record Named(String name) implements ToolChoice {
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }
}
