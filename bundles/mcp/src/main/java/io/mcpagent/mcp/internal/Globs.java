package io.mcpagent.mcp.internal;

/** Tool-name globs: {@code *} matches any run of characters, everything else itself. */
final class Globs {
    private Globs() {
    }

    static boolean matches(String glob, String text) {
        return matches(glob, 0, text, 0);
    }

    private static boolean matches(String glob, int g, String text, int t) {
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                for (int i = t; i <= text.length(); i++) {
                    if (matches(glob, g + 1, text, i)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || text.charAt(t) != c) {
                return false;
            }
            g++;
            t++;
        }
        return t == text.length();
    }
}
