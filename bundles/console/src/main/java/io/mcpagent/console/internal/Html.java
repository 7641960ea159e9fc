package io.mcpagent.console.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Escaping for everything the console renders: task texts, plugin names and tool descriptions are user input. */
final class Html {
    private Html() {
    }

    /**
     * Text made safe for HTML element content and quoted attribute values. Besides the markup characters, {@code $}
     * is escaped: the Web Console resolves {@code ${...}} in HTML answers as its own variables.
     */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '`' -> out.append("&#96;");
                case '$' -> out.append("&#36;");
                default -> {
                    // Control characters other than tab and line breaks have no business in a page.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A value for a URL query parameter or path segment, then escaped for an attribute. */
    static String url(String value) {
        return text(URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20"));
    }
}
