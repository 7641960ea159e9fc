package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.mcpagent.api.llm.ProviderError;
import io.mcpagent.api.llm.ProviderError.Category;

class InvalidRequestsTest {
    @Test
    void namesTheProviderAndIsNotRetried() {
        ProviderError error = InvalidRequests.invalid("acme-main", "the image has no mime type").error();

        assertEquals(Category.INVALID_REQUEST, error.category());
        assertEquals("provider 'acme-main': the image has no mime type", error.message());
        assertFalse(error.retryable());
    }
}
