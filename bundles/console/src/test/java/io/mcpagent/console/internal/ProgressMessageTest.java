package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.workflow.ExecutionStatus;
import io.mcpagent.api.workflow.ExecutionStatusEvent;

class ProgressMessageTest {
    @Test
    void anErrorThatQuotesASecretIsShownMasked() {
        String line = ProgressMessage.of(new ExecutionStatusEvent(Instant.parse("2026-12-04T10:00:00Z"),
                ExecutionStatusEvent.FINISHED, "e-1", "direct", ExecutionStatus.FAILED,
                "fetch failed: password=hunter2 for key sk-abcdefghijklmnopqrstuvwxyz123456", "acme", "task", null));

        assertFalse(line.contains("hunter2") || line.contains("sk-abcdefghijklmnopqrstuvwxyz123456"), line);
        assertTrue(line.contains("fetch failed: password=[redacted] for key [redacted]"), line);
    }
}
