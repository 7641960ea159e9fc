package io.mcpagent.http.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * The media ranges of a request's {@code Accept} header lines (RFC 9110 12.5.1), to tell whether the client takes a
 * media type. The most specific range that matches the type decides ({@code text/event-stream} over {@code text/*}
 * over {@code *}{@code /*}); its {@code q=0} refuses it. No header, or none with a range that can be read, takes
 * anything: an answer is better than a refusal over a header nobody could read.
 */
final class AcceptHeader {
    /** One range: its type and subtype ({@code *} for any), and its weight. */
    private record Range(String type, String subtype, double quality) {
        /** How specifically this range names {@code type}/{@code subtype}: 2 exactly, 1 by type, 0 any; -1 not. */
        int specificity(String wantedType, String wantedSubtype) {
            if (type.equals("*")) {
                return 0;
            }
            if (!type.equals(wantedType)) {
                return -1;
            }
            return subtype.equals("*") ? 1 : subtype.equals(wantedSubtype) ? 2 : -1;
        }
    }

    private final List<Range> ranges;
    private final String text;

    private AcceptHeader(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /** The ranges of the header's lines as the servlet request's getHeaders answers them (null: no header). */
    static AcceptHeader of(Enumeration<String> lines) {
        List<String> all = lines == null ? List.of() : Collections.list(lines);
        List<Range> ranges = new ArrayList<>();
        for (String line : all) {
            for (String item : line.split(",")) {
                Range range = range(item);
                if (range != null) {
                    ranges.add(range);
                }
            }
        }
        return new AcceptHeader(ranges, String.join(", ", all));
    }

    /** Whether the client takes {@code mediaType} ({@code application/json}). */
    boolean accepts(String mediaType) {
        return quality(mediaType) > 0;
    }

    /**
     * The weight the client gives {@code mediaType}: that of the most specific range matching it, 1 with no ranges
     * (anything is taken), 0 when no range matches.
     */
    double quality(String mediaType) {
        return ranges.isEmpty() ? 1 : Math.max(0, quality(mediaType, 0));
    }

    /**
     * The weight of a range that names {@code mediaType} exactly, not by a wildcard; -1 when none does. For a format
     * served only when asked for by name.
     */
    double namedQuality(String mediaType) {
        return quality(mediaType, 2);
    }

    /** The weight of the most specific range that matches {@code mediaType} at least that specifically, or -1. */
    private double quality(String mediaType, int leastSpecificity) {
        String[] wanted = mediaType.split("/");
        Range best = null;
        int bestSpecificity = leastSpecificity - 1;
        for (Range range : ranges) {
            int specificity = range.specificity(wanted[0], wanted[1]);
            if (specificity > bestSpecificity) {
                best = range;
                bestSpecificity = specificity;
            }
        }
        return best == null ? -1 : best.quality();
    }

    /** The header as the client sent it, its lines joined. */
    String text() {
        return text;
    }

    /** {@code type/subtype;params}, or null for an item that is no media range. */
    private static Range range(String item) {
        String[] parts = item.split(";");
        String[] name = parts[0].strip().toLowerCase(Locale.ROOT).split("/", -1);
        if (name.length != 2 || name[0].isEmpty() || name[1].isEmpty() || name[0].equals("*") && !name[1].equals("*")) {
            return null;
        }
        double quality = 1;
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].strip().split("=", 2);
            if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("q")) {
                try {
                    quality = Double.parseDouble(parameter[1].strip());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return new Range(name[0], name[1], quality);
    }
}
