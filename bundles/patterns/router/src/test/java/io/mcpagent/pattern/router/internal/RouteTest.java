package io.mcpagent.pattern.router.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void equalConfidencesKeepTheRoutingAgentsOrder() {
        Route route = Route.decide(List.of(new Choice("b", 0.5, ""), new Choice("a", 0.5, ""), new Choice("c", 0.7, "")),
                Set.of("a", "b", "c"), 2, 0.0);

        assertEquals(List.of("c", "b"), route.selected().stream().map(Choice::candidate).toList());
        assertEquals(Route.Verdict.BEYOND_TOP_K, route.decisions().get(2).verdict());
    }

    @Test
    void aChoiceAtExactlyMinConfidenceIsKept() {
        Route route = Route.decide(List.of(new Choice("a", 0.5, "")), Set.of("a"), 1, 0.5);

        assertEquals(List.of("a"), route.selected().stream().map(Choice::candidate).toList());
    }

    @Test
    void unknownNamesDoNotTakeASlotOfTopK() {
        Route route = Route.decide(List.of(new Choice("ghost", 0.9, ""), new Choice("a", 0.8, "")), Set.of("a"), 1, 0.0);

        assertEquals(List.of("a"), route.selected().stream().map(Choice::candidate).toList());
        assertEquals("unknown-candidate", route.decisions().getFirst().verdict().id());
    }
}
