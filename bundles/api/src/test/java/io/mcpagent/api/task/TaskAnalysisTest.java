package io.mcpagent.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TaskAnalysisTest {

    @Test
    void requiredCapabilitiesIterateInNameOrderWhateverOrderTheyWereGivenIn() {
        List<String> ids = new ArrayList<>(Arrays.stream(Capability.values()).map(Capability::id).sorted().toList());
        List<String> reversed = new ArrayList<>(ids);
        Collections.reverse(reversed);

        TaskAnalysis analysis = new TaskAnalysis(TaskType.RESEARCH, Complexity.SIMPLE, 1,
                new LinkedHashSet<>(reversed), 0.5, "direct", "", "test");

        // a set copied by Set.copyOf iterates in an order that changes from one JVM to the next
        assertEquals(ids, List.copyOf(analysis.requiredCapabilities()));
        assertThrows(UnsupportedOperationException.class, () -> analysis.requiredCapabilities().add("maps"));
    }

    @Test
    void aMissingCapabilityIsRefused() {
        Set<String> withNull = new LinkedHashSet<>(Arrays.asList("web_search", null));
        assertThrows(NullPointerException.class, () -> new TaskAnalysis(TaskType.RESEARCH, Complexity.SIMPLE, 1,
                withNull, 0.5, "direct", "", "test"));
    }
}
