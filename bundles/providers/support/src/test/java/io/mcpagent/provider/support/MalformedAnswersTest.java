package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MalformedAnswersTest {
    @Test
    @SuppressWarnings("deprecation")
    void theOverloadWithoutSecretsIsDeprecatedAndKeepsTheBodyAsTheOneWithNoneDoes() throws Exception {
        // no provider bundle calls it; one holding a key would keep the key in the error, so callers are told
        assertTrue(MalformedAnswers.class.getMethod("error", String.class, String.class, String.class, String.class)
                .isAnnotationPresent(Deprecated.class));
        assertEquals(MalformedAnswers.error("p", "not JSON", "req_1", "<html>", List.of()),
                MalformedAnswers.error("p", "not JSON", "req_1", "<html>"));
    }
}
