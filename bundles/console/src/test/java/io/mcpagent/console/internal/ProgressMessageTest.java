package io.mcpagent.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.LlmFallbackEvent;
import io.mcpagent.api.llm.ProviderError;
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

    @Test
    void aProviderFallbackSaysWhatFailedWhyAndWhatIsCalledInstead() {
        String text = ProgressMessage.describe(new LlmFallbackEvent(Instant.parse("2026-12-04T10:00:00Z"), "e-1",
                "pfail", "scripted-1", ProviderError.Category.SERVER, "upstream 503 mid-run", "pbackup", "scripted-1",
                null));

        assertEquals("LLM call to pfail/scripted-1 failed (SERVER: upstream 503 mid-run); falling back to "
                + "pbackup/scripted-1", text);
    }
}
