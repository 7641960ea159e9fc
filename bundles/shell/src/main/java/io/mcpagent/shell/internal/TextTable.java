package io.mcpagent.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table for the console: a header row, left-aligned columns two spaces apart, the last column not
 * padded (it often holds long free text). Cells are made single-line, and empty cells show {@value #EMPTY}
 * so that columns stay readable and splittable by whitespace.
 */
final class TextTable {
    /** Shown for an absent or blank value, in tables and in {@code key: value} lines. */
    static final String EMPTY = "-";
    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(List<String> headers) {
        this.headers = headers;
    }

    static TextTable of(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        return new TextTable(Arrays.stream(headers).map(TextTable::cell).toList());
    }

    /** Adds a row; it must have one value per column. */
    TextTable row(Object... values) {
        if (values.length != headers.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values, the table has "
                    + headers.size() + " columns " + headers);
        }
        rows.add(Arrays.stream(values).map(v -> cell(v == null ? null : String.valueOf(v))).toList());
        return this;
    }

    int size() {
        return rows.size();
    }

    /** The table, each line prefixed with {@code indent}, lines joined by {@code \n}, no trailing newline. */
    String render(String indent) {
        int[] widths = new int[headers.size()];
        for (List<String> line : lines()) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], width(line.get(column)));
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            StringBuilder text = new StringBuilder(indent);
            for (int column = 0; column < widths.length; column++) {
                String value = line.get(column);
                text.append(value);
                if (column < widths.length - 1) {
                    text.append(" ".repeat(widths[column] - width(value))).append(GAP);
                }
            }
            out.append(text.toString().stripTrailing());
        }
        return out.toString();
    }

    String render() {
        return render("");
    }

    private List<List<String>> lines() {
        List<List<String>> all = new ArrayList<>(rows.size() + 1);
        all.add(headers);
        all.addAll(rows);
        return all;
    }

    /**
     * One console-safe line: line breaks, tabs and other control characters become spaces (they would break
     * the alignment, or let a plugin's text move the cursor), runs of spaces collapse, blank becomes {@value #EMPTY}.
     */
    static String cell(String value) {
        if (value == null) {
            return EMPTY;
        }
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        String single = out.toString().trim().replaceAll(" {2,}", " ");
        return single.isEmpty() ? EMPTY : single;
    }

    /**
     * Console-safe text of several lines: like {@link #cell} but line breaks are kept ({@code \r\n} becomes
     * {@code \n}) and nothing is collapsed, so a tool's output keeps its layout but cannot move the cursor.
     */
    static String block(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.replace("\r\n", "\n").codePoints()
                .forEach(c -> out.appendCodePoint(c != '\n' && Character.isISOControl(c) ? ' ' : c));
        return out.toString().stripTrailing();
    }

    /** A {@code key: value} line, the value as a {@link #cell}. */
    static String field(String key, String value) {
        return key + ": " + cell(value);
    }

    /** {@code "1 plugin"}, {@code "3 plugins"}, {@code "0 plugins"}. */
    static String count(int n, String noun) {
        return count(n, noun, noun + "s");
    }

    /** {@code "1 entry"}, {@code "3 entries"}: for nouns whose plural is not the singular plus {@code s}. */
    static String count(int n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    private static int width(String value) {
        return value.codePointCount(0, value.length());
    }
}
