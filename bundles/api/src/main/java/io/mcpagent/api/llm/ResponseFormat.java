package io.mcpagent.api.llm;

import java.util.Objects;

/** The shape of the answer: free text, any JSON object, or JSON matching a schema (given as JSON text). */
public sealed interface ResponseFormat {
    record Text() implements ResponseFormat {
    }

    record JsonObject() implements ResponseFormat {
    }

    record JsonSchema(String name, String schemaJson, boolean strict) implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schemaJson, "schemaJson");
        }
    }
}
