package io.mcpagent.mcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mcpagent.api.llm.TextPart;
import io.mcpagent.api.mcp.ToolCallResult;

/** A tools/call result the spec does not allow is an error result naming what is wrong, never a quiet success. */
class ToolResultsTest {
    private final ObjectMapper mapper = new ObjectMapper();

    private ToolCallResult from(String json) throws Exception {
        return ToolResults.from(mapper.readTree(json.replace('\'', '"')), null);
    }

    private static List<String> texts(ToolCallResult result) {
        return result.content().stream().map(part -> part instanceof TextPart text ? text.text() : part.toString()).toList();
    }

    @Test
    void anIsErrorThatIsNoBooleanIsAnErrorNamingIt() throws Exception {
        ToolCallResult result = from("{'content':[{'type':'text','text':'disk full'}],'isError':'yes'}");
        assertTrue(result.isError());
        assertEquals(List.of("The server's tools/call result is malformed: its isError is string \"yes\", not true or"
                + " false. Taken as an error.", "disk full"), texts(result));
    }

    @Test
    void contentThatIsNoArrayIsAnErrorNotItsFieldsAsBlocks() throws Exception {
        ToolCallResult result = from("{'content':{'type':'text','text':'x'}}");
        assertTrue(result.isError());
        assertEquals(List.of("The server's tools/call result is malformed: its content is object"
                + " {\"type\":\"text\",\"text\":\"x\"}, not an array. Taken as an error."), texts(result));
    }

    @Test
    void contentBlocksThatAreNoObjectsOrHaveNoTypeAreNamedAndQuoted() throws Exception {
        ToolCallResult result = from("{'content':[42,'plain',{'text':'untyped'},{'type':7,'text':'x'},"
                + "{'type':'text','text':'fine'}]}");
        assertEquals(List.of("[malformed content block: number 42, not an object]",
                "[malformed content block: string \"plain\", not an object]",
                "[malformed content block: it has no type: object {\"text\":\"untyped\"}]",
                "[malformed content block: its type is number 7, not a string: object {\"type\":7,\"text\":\"x\"}]",
                "fine"), texts(result));
    }

    @Test
    void aResultWithoutContentIsAnError() throws Exception {
        ToolCallResult result = from("{}");
        assertTrue(result.isError());
        assertEquals(List.of("The server's tools/call result is malformed: it has no content. Taken as an error."),
                texts(result));
    }

    @Test
    void aResultThatIsNoObjectIsAnError() throws Exception {
        ToolCallResult result = from("'done'");
        assertTrue(result.isError());
        assertEquals(List.of("The server's tools/call result is malformed: it is string \"done\", not an object."),
                texts(result));
    }

    @Test
    void wellFormedResultsStayAsTheyAre() throws Exception {
        assertFalse(from("{'content':[{'type':'text','text':'ok'}]}").isError());
        assertFalse(from("{'structuredContent':{'a':1}}").isError());
        ToolCallResult failed = from("{'content':[{'type':'text','text':'no such file'}],'isError':true}");
        assertTrue(failed.isError());
        assertEquals(List.of("no such file"), texts(failed));
    }
}
