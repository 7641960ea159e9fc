package io.mcpagent.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ParserMessagesTest {
    @Test
    void eachQuotedLocationIsCutToItsLineAndColumn() {
        assertEquals("Unexpected end-of-input: expected close marker for Object (start marker at line 1, column 1)\n"
                + " at line 1, column 8", ParserMessages.withoutSource("Unexpected end-of-input: expected close marker"
                + " for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION`"
                + " disabled); line: 1, column: 1])\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION`"
                + " disabled); line: 1, column: 8]"));
    }

    @Test
    void aMessageWithoutLocationStaysAsItIs() {
        assertEquals("Unrecognized token 'tru'", ParserMessages.withoutSource("Unrecognized token 'tru'"));
        assertNull(ParserMessages.withoutSource(null));
    }
}
