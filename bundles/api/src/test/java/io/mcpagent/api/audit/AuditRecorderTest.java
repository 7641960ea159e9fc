package io.mcpagent.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class AuditRecorderTest {
    private final List<String> lost = new ArrayList<>();
    private final AuditRecorder recorder = new AuditRecorder((entry, why) -> lost.add(entry.target() + ": " + why));

    @Test
    void whatIsRecordedWhileTheLogIsAwayIsWrittenWhenItIsBack() {
        RecordingLog before = new RecordingLog();
        recorder.bind(before);
        recorder.record(entry("before-the-restart"));
        recorder.unbind(before);

        recorder.record(entry("during-the-restart"));
        assertTrue(recorder.current().isEmpty());

        RecordingLog after = new RecordingLog();
        recorder.bind(after);
        recorder.record(entry("after-the-restart"));

        assertEquals(List.of("before-the-restart"), before.targets());
        assertEquals(List.of("during-the-restart", "after-the-restart"), after.targets());
        assertEquals(List.of(), lost);
    }

    @Test
    void aGreedyReplacementBoundBeforeTheOldLogIsUnboundStays() {
        RecordingLog old = new RecordingLog();
        RecordingLog replacement = new RecordingLog();
        recorder.bind(old);
        recorder.bind(replacement);
        recorder.unbind(old);
        recorder.record(entry("x"));
        assertEquals(List.of("x"), replacement.targets());
    }

    /** By the service's properties, without the log, which DS would ask for again: a greedy replacement stays. */
    @Test
    void aLogIsUnboundByItsServicesPropertiesAndAGreedyReplacementStays() {
        RecordingLog old = new RecordingLog();
        RecordingLog replacement = new RecordingLog();
        recorder.bind(old, Map.of("service.id", 7L));
        recorder.bind(replacement, Map.of("service.id", 9L));
        recorder.unbind(Map.of("service.id", 7L));
        recorder.record(entry("x"));
        assertEquals(List.of("x"), replacement.targets());

        recorder.unbind(Map.of("service.id", 9L));
        assertTrue(recorder.current().isEmpty());
    }

    @Test
    void beyondTheHeldEntriesTheFirstIsReportedLostAndTheRestDropped() {
        IntStream.range(0, AuditRecorder.HELD + 3).forEach(i -> recorder.record(entry("e" + i)));
        assertEquals(List.of("e" + AuditRecorder.HELD + ": " + AuditRecorder.HELD + " entries already wait for an audit"
                + " log to be running; further ones are dropped until one is"), lost);

        RecordingLog log = new RecordingLog();
        recorder.bind(log);
        assertEquals(AuditRecorder.HELD, log.targets().size());
        assertEquals("e0", log.targets().get(0));
    }

    @Test
    void anEntryTheLogRefusesIsReportedLostNotThrown() {
        recorder.bind(new RecordingLog() {
            @Override
            public void record(AuditEntry entry) {
                throw new IllegalStateException("cannot write the audit log to jdbc:h2:mem:x: closed");
            }
        });
        recorder.record(entry("refused"));
        assertEquals(List.of("refused: cannot write the audit log to jdbc:h2:mem:x: closed"), lost);
    }

    private static AuditEntry entry(String target) {
        return new AuditEntry(Instant.EPOCH, "shell:console", "admin", null, "server.install", target,
                AuditEntry.SUCCEEDED, null);
    }

    private static class RecordingLog implements AuditLog {
        private final List<AuditEntry> entries = new ArrayList<>();

        @Override
        public void record(AuditEntry entry) {
            entries.add(entry);
        }

        @Override
        public List<AuditEntry> query(AuditQuery query) {
            return List.copyOf(entries);
        }

        @Override
        public long count(AuditQuery query) {
            return entries.size();
        }

        List<String> targets() {
            return entries.stream().map(AuditEntry::target).toList();
        }
    }
}
