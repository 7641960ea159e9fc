package io.mcpagent.autonomous.internal;

/**
 * Numbers for output: two decimals in reasoning texts, without the cost of {@code String.format}, and three in the
 * scores and confidences a decision hands out.
 */
final class Decimals {
    private Decimals() {
    }

    /** Appends {@code value} rounded half up to two decimals, e.g. {@code 0.8} as {@code 0.80}. */
    static StringBuilder append(StringBuilder text, double value) {
        long hundredths = Math.round(value * 100);
        if (hundredths < 0) {
            text.append('-');
            hundredths = -hundredths;
        }
        long fraction = hundredths % 100;
        return text.append(hundredths / 100).append('.').append(fraction < 10 ? "0" : "").append(fraction);
    }

    /**
     * {@code value} rounded half up to three decimals: a score or confidence is an estimate, and its binary noise
     * ({@code 0.37997437500000014}) would only clutter the JSON, history and shell that show it.
     */
    static double rounded(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
