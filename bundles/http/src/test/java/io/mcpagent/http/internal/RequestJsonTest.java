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

    @Test
    void aMistakeInAValueNamesItsMemberAndOneBetweenMembersOrElementsTheirObjectOrArray() {
        assertEquals("/dryRun", refused("{\"task\":\"a\",\"dryRun\":tru}").field);
        assertEquals("/id", refused("{\"id\":").field);
        assertEquals("/messages/0/role", refused("{\"messages\":[{\"role\":user}]}").field);
        assertNull(refused("{\"task\":\"hi\",}").field, "the comma after task's value");
        assertNull(refused("{\"task\":\"hi\"").field, "cut short after task's value");
        assertEquals("/options", refused("{\"options\":{\"wait\":1").field);
        assertNull(refused("{\"task\":\"hi\" \"dryRun\":true}").field);
        assertNull(refused("{task:\"hi\"}").field);
        assertEquals("/options", refused("{\"options\":{\"wait\":1,}}").field);
        assertEquals("/options", refused("{\"options\":{x}}").field);
        assertEquals("/tools/2", refused("{\"tools\":[1,2,]}").field, "the element after the comma, not /tools/1");
        assertEquals("/tools", refused("{\"tools\":[1 2]}").field);
        assertEquals("/tools/0", refused("{\"tools\":[x]}").field);
    }

    /**
     * 30.0 and 3e1 are the whole number 30, as Python's floats write it (they were refused as "must be a whole number
     * from 0 to 300, was 30.0"); a fraction, a string, a value out of range or a huge exponent is none, at once.
     */
    @Test
    void aWholeNumberMayBeWrittenWithAPointOrAnExponent() throws Exception {
        for (com.fasterxml.jackson.databind.ObjectReader reader
                : java.util.List.of(RequestJson.MAPPER.reader(), RequestJson.EXACT_NUMBERS)) {
            for (String written : java.util.List.of("30", "30.0", "3e1", "300E-1", "3.0E+1")) {
                assertEquals(30L, RequestJson.wholeNumber(reader.readTree(written), 0, 300), written);
            }
            for (String none : java.util.List.of("30.5", "\"30\"", "301", "-1", "1e400", "1e1000000000", "true",
                    "9223372036854775808")) {
                assertNull(RequestJson.wholeNumber(reader.readTree(none), 0, 300), none);
            }
            assertEquals(Long.MAX_VALUE, RequestJson.wholeNumber(reader.readTree("9223372036854775807"), 0,
                    Long.MAX_VALUE));
            assertNull(RequestJson.wholeNumber(reader.readTree("9223372036854775808"), 0, Long.MAX_VALUE));
        }
    }
}
