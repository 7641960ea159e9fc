package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ExecutionEventStreamPathTest {
    @Test
    void theIdIsWhatStandsBetweenThePrefixAndTheSuffix() {
        assertEquals("e-1", ExecutionEventStream.executionId("/executions/e-1/events"));
        assertNull(ExecutionEventStream.executionId("/executions/events"), "prefix and suffix overlap: no id");
        assertNull(ExecutionEventStream.executionId("/executions//events"));
        assertNull(ExecutionEventStream.executionId("/executions/a/b/events"));
        assertNull(ExecutionEventStream.executionId("/executions/e-1"));
    }
}
