package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The one reading of request bodies every endpoint uses: where a body is not valid JSON, and in which member. */
class RequestJsonTest {
    private static ApiError refused(String body) {
        return assertThrows(ApiError.class, () -> RequestJson.read(RequestJson.MAPPER.reader(),
                body.getBytes(StandardCharsets.UTF_8), "{\"id\":\"...\"}"));
    }

    @Test
    void aMemberGivenTwiceIsNamedByItsPointerWhereverItIs() {
        ApiError nested = refused("{\"messages\":[{\"role\":\"user\",\"role\":\"system\"}]}");
        assertEquals("the body is not valid JSON at line 1, column 35: Duplicate field 'role'; send {\"id\":\"...\"}",
                nested.getMessage());
        assertEquals("/messages/0/role", nested.field);
        assertEquals("/a~1b", refused("{\"a/b\":1,\"a/b\":2}").field);
    }

    @Test
    void textAfterTheValueSaysWhereAndNamesNoMember() {
        ApiError trailing = refused("{\"id\":\"x\"}\n x");
        assertEquals(400, trailing.status);
        assertEquals("the body is not valid JSON at line 2, column 2: Unrecognized token 'x': was expecting (JSON"
                + " String, Number, Array, Object or token 'null', 'true' or 'false'); send {\"id\":\"...\"}",
                trailing.getMessage());
        assertNull(trailing.field);
    }
}
