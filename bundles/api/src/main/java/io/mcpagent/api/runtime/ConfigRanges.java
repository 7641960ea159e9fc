package io.mcpagent.api.runtime;

import java.math.BigDecimal;

/**
 * Range checks of configured values, for the {@code settingsOf} functions of {@link GuardedConfiguration}: a value out
 * of range is refused with an {@link IllegalArgumentException} naming the property, the range and the value
 * ({@code "maxConcurrent must be at least 1, was 0"}), rather than brought into range without a word.
 */
public final class ConfigRanges {
    /** The smallest cost budget but none (0): the history keeps costs to 10 decimal places, so below it is none. */
    public static final BigDecimal SMALLEST_COST_BUDGET_USD = new BigDecimal("0.0000000001");
    /** The largest cost budget, {@code Double.MAX_VALUE} (about 1.8e308): beyond it a budget would be infinite. */
    public static final BigDecimal LARGEST_COST_BUDGET_USD = BigDecimal.valueOf(Double.MAX_VALUE);

    private ConfigRanges() {
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException when {@code value} is below {@code minimum}
     */
    public static long atLeast(String property, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(property + " must be at least " + minimum + ", was " + value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException when {@code value} is outside [{@code minimum}, {@code maximum}]
     */
    public static long within(String property, long value, long minimum, long maximum) {
        if (value < minimum || value > maximum) {
            throw new IllegalArgumentException(property + " must be within [" + minimum + ", " + maximum + "], was "
                    + value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException when {@code value} is outside [0, 1], or not a number
     */
    public static double withinUnit(String property, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(property + " must be within [0, 1], was " + value);
        }
        return value;
    }

    /**
     * A cost budget in US dollars: 0 (none), or from {@link #SMALLEST_COST_BUDGET_USD} to
     * {@link #LARGEST_COST_BUDGET_USD}. A negative one is left to {@code AgentLimits}, which refuses it.
     *
     * @return {@code value}
     * @throws IllegalArgumentException when {@code value} is positive and out of that range; the message shows it as
     *                                  {@link Amounts#text} does, so {@code 1E-999999999} costs no billion zeros
     */
    public static BigDecimal costBudgetUsd(String property, BigDecimal value) {
        // compareTo looks at the exponents first: cheap for any value
        if (value.signum() > 0 && (value.compareTo(SMALLEST_COST_BUDGET_USD) < 0
                || value.compareTo(LARGEST_COST_BUDGET_USD) > 0)) {
            throw new IllegalArgumentException(property + " must be 0 (no limit) or within ["
                    + SMALLEST_COST_BUDGET_USD.toPlainString() + ", 1.8e308] US dollars, was " + Amounts.text(value));
        }
        return value;
    }
}
