package io.mcpagent.api.runtime;

import java.math.BigDecimal;

/**
 * How an amount of money (a cost, a cost budget, a price) reads in a message: {@code 0.25}, {@code 1200}, not
 * {@link BigDecimal#toString()}'s {@code 1.2E+3}, yet never longer than its digits plus a few characters, whatever it
 * is handed: {@link BigDecimal#toPlainString()} would write out a billion zeros for {@code 1E-999999999}.
 */
public final class Amounts {
    /** Zeros written out between the point and the digits, or after the digits; further out is E notation. */
    private static final int MAX_PLAIN_ZEROS = 30;

    private Amounts() {
    }

    /**
     * Plain digits without trailing zeros ({@code 0.0000000001}, {@code 1200}) when at most 30 zeros are to be written
     * out around them, else {@link BigDecimal#toString()}'s E notation ({@code 1E-999999999}, {@code 1.5E+40}).
     */
    public static String text(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        int scale = stripped.scale();
        // leading zeros after the point: scale - precision; trailing zeros before it: -scale
        boolean shortPlain = scale >= -MAX_PLAIN_ZEROS && scale - stripped.precision() <= MAX_PLAIN_ZEROS;
        return shortPlain ? stripped.toPlainString() : stripped.toString();
    }
}
