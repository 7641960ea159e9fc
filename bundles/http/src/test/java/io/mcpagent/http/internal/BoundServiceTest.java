package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class BoundServiceTest {

    @Test
    void theUnbindOfAReplacedServiceKeepsItsReplacement() {
        BoundService<Object> bound = new BoundService<>();
        Object old = new Object();
        Object replacement = new Object();

        bound.bind(old);
        bound.bind(replacement); // DS binds the replacement before it unbinds the old one (greedy)
        bound.unbind(old);

        assertSame(replacement, bound.get());
        bound.unbind(replacement);
        assertNull(bound.get());
    }
}
