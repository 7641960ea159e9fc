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

    /** Jackson 2.23's words for these rules, as a walkthrough found them in REST answers. */
    @Test
    void theParsersNamesOfItsClassesAndFeaturesArePutInPlainWords() {
        assertEquals("Trailing token (of type START_OBJECT) found after value: a JSON text holds one value only",
                ParserMessages.withoutSource("Trailing token (of type START_OBJECT) found after value (bound as"
                        + " `com.fasterxml.jackson.databind.JsonNode`): not allowed as per"
                        + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"));
        assertEquals("Non-standard token 'NaN': JSON has no such number", ParserMessages.withoutSource(
                "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"));
        assertEquals("Unexpected character ('/' (code 47)): maybe a (non-standard) comment? JSON has no comments",
                ParserMessages.withoutSource("Unexpected character ('/' (code 47)): maybe a (non-standard) comment?"
                        + " (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)"));
        assertEquals("Document nesting depth (1001) exceeds the maximum allowed (1000)", ParserMessages.withoutSource(
                "Document nesting depth (1001) exceeds the maximum allowed (1000, from"
                        + " `StreamReadConstraints.getMaxNestingDepth()`)"));
        assertEquals("A member name exceeds the maximum length allowed (50000)", ParserMessages.withoutSource(
                "Name length (52731) exceeds the maximum allowed (50000, from"
                        + " `StreamReadConstraints.getMaxNameLength()`)"));
    }

    @Test
    void aMessageWithoutLocationStaysAsItIs() {
        assertEquals("Unrecognized token 'tru'", ParserMessages.withoutSource("Unrecognized token 'tru'"));
        assertNull(ParserMessages.withoutSource(null));
    }
}
