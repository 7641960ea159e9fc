package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Set;

import org.junit.jupiter.api.Test;

import jakarta.servlet.http.HttpServletRequest;

class PageTest {

    @Test
    void aPageIsReadFromOffsetAndLimit() throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getParameter("offset")).thenReturn("20");
        when(request.getParameter("limit")).thenReturn(" 10 ");

        assertEquals(new Page(20, 10), Page.of(request));
    }

    @Test
    void anOffsetWhosePlusTheUrlDecodedToASpaceIsNamedAsSuch() {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getParameter("from")).thenReturn("2026-12-06T03:00:00 01:00");

        ApiError error = assertThrows(ApiError.class, () -> Page.range(request));
        assertEquals(400, error.status);
        assertEquals("query parameter 'from' must be an ISO-8601 instant such as 2026-12-03T10:00:00Z; was"
                + " '2026-12-06T03:00:00 01:00'; a '+' in a URL reads as a space: write an offset's '+' as %2B"
                + " (2026-12-03T10:00:00%2B01:00), or give the instant in UTC with Z", error.getMessage());
    }

    @Test
    void aQueryStringTheContainerCannotDecodeIs400NotAServerError() {
        // Jetty throws its BadMessageException (a RuntimeException) from getParameter for '?limit=%zz' or '%C0%AF'.
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getParameter(anyString())).thenThrow(new IllegalArgumentException("400: Bad query"));
        when(request.getParameterMap()).thenThrow(new IllegalArgumentException("400: Bad query"));

        ApiError fromPage = assertThrows(ApiError.class, () -> Page.of(request));
        ApiError fromParameter = assertThrows(ApiError.class, () -> Page.parameter(request, "task"));
        ApiError fromCheck = assertThrows(ApiError.class, () -> Page.requireOnly(request, Set.of("limit")));

        for (ApiError error : new ApiError[] {fromPage, fromParameter, fromCheck}) {
            assertEquals(400, error.status);
            assertEquals("bad_request", error.code);
            assertTrue(error.getMessage().contains("the query string cannot be decoded (400: Bad query)"),
                    error.getMessage());
        }
    }
}
