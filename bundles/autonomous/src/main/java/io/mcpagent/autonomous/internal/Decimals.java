package io.mcpagent.autonomous.internal;

/** Numbers in reasoning texts: two decimals, without the cost of {@code String.format}. */
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
}
