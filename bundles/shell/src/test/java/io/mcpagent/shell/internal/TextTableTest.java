package io.mcpagent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void alignsColumnsTwoSpacesApartAndDoesNotPadTheLastColumn() {
        String out = TextTable.of("ID", "KIND", "NOTE")
                .row("a", "pattern", "x")
                .row("longer-id", "mcp-server", "")
                .render();
        assertEquals("""
                ID         KIND        NOTE
                a          pattern     x
                longer-id  mcp-server  -""", out);
    }

    @Test
    void indentsEveryLine() {
        assertEquals("  A  B\n  1  2", TextTable.of("A", "B").row(1, 2).render("  "));
    }

    @Test
    void aHeaderOnlyTableIsJustTheHeader() {
        TextTable table = TextTable.of("A", "B");
        assertEquals(0, table.size());
        assertEquals("A  B", table.render());
    }

    @Test
    void rejectsRowsOfTheWrongWidthNamingTheColumns() {
        TextTable table = TextTable.of("A", "B");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
        assertTrue(e.getMessage().contains("1 values") && e.getMessage().contains("[A, B]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, TextTable::of);
    }

    @Test
    void cellsAreSingleLineAndNeverBlank() {
        assertEquals("-", TextTable.cell(null));
        assertEquals("-", TextTable.cell(" \t\n"));
        assertEquals("two lines", TextTable.cell("two\r\nlines"));
        assertEquals("no escape [2J here", TextTable.cell("no escape \u001b[2J here"));
        assertEquals("a b", TextTable.cell("a    b"));
    }

    @Test
    void nullValuesAndMultiLineValuesKeepTheTableAligned() {
        String out = TextTable.of("A", "B").row(null, "x").row("line\nbreak", "y").render();
        assertEquals("""
                A           B
                -           x
                line break  y""", out);
    }

    @Test
    void widthCountsCodePointsNotUtf16Units() {
        String out = TextTable.of("A", "B").row("\uD83D\uDE00", "x").row("ab", "y").render();
        assertEquals("A   B\n\uD83D\uDE00   x\nab  y", out);
    }

    @Test
    void countsInEnglish() {
        assertEquals("0 plugins", TextTable.count(0, "plugin"));
        assertEquals("1 plugin", TextTable.count(1, "plugin"));
        assertEquals("2 problems", TextTable.count(2, "problem"));
        assertEquals("1 catalog entry", TextTable.count(1, "catalog entry", "catalog entries"));
        assertEquals("3 catalog entries", TextTable.count(3, "catalog entry", "catalog entries"));
    }

    @Test
    void blocksKeepTheirLinesButNoOtherControlCharacters() {
        assertEquals("first\n  second  line", TextTable.block("first\r\n  second\u001b line\n\n"));
        assertEquals("", TextTable.block(""));
    }

    @Test
    void fieldsAreKeyValueLinesWithASafeValue() {
        assertEquals("name: a b", TextTable.field("name", "a\nb"));
        assertEquals("name: -", TextTable.field("name", null));
    }
}
