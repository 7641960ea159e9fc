package io.mcpagent.api.runtime;

import java.math.BigDecimal;
import java.time.Duration;

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
    /**
     * The dearest price a model may have, in US dollars per million tokens (1.11): far above any model's (the dearest
     * list price is tens of dollars), yet a call of the most tokens the router counts (10^12 per counter, at most
     * 3 x 10^12 priced) then costs below 10^10 dollars, the most the history's cost column (NUMERIC(20, 10)) holds.
     */
    public static final BigDecimal LARGEST_PRICE_PER_MILLION_USD = new BigDecimal(1000);
    /**
     * The most decimal places of a price per million tokens (1.11): a cost is then short (a price of 1E-1000 would make
     * every cost it is added to a thousand digits long), and a price finer than that adds nothing the history keeps.
     */
    public static final int PRICE_DECIMAL_PLACES = 10;
    /**
     * The longest time budget or timeout (1.11), 36500 days (about 100 years), far beyond any run, and what every
     * seconds setting (an int) can name: a deadline further out overflows in nanoseconds (292 years) or past
     * {@link java.time.Instant#MAX}, so it failed the run rather than never coming.
     */
    public static final Duration LONGEST_TIME_BUDGET = Duration.ofDays(36_500);

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

    /**
     * Whether {@code pricePerMillion} is a model price the platform counts with (1.11): from 0 to
     * {@link #LARGEST_PRICE_PER_MILLION_USD} with at most {@link #PRICE_DECIMAL_PLACES} decimal places. Cheap for any
     * value, however many digits it would have written out.
     */
    public static boolean isPricePerMillionUsd(BigDecimal pricePerMillion) {
        // compareTo looks at the exponents first; the decimal places beyond the digits' count (1E-999999999) are
        // refused before stripping trailing zeros, which costs a division by ten per zero
        return pricePerMillion.signum() == 0 || pricePerMillion.signum() > 0
                && pricePerMillion.compareTo(LARGEST_PRICE_PER_MILLION_USD) <= 0
                && (long) pricePerMillion.scale() - pricePerMillion.precision() + 1 <= PRICE_DECIMAL_PLACES
                && pricePerMillion.stripTrailingZeros().scale() <= PRICE_DECIMAL_PLACES;
    }

    /**
     * A model price in US dollars per million tokens (1.11), as {@link #isPricePerMillionUsd} takes it.
     *
     * @return {@code value}
     * @throws IllegalArgumentException when it is not; the message shows the value as {@link Amounts#text} does
     */
    public static BigDecimal pricePerMillionUsd(String property, BigDecimal value) {
        if (!isPricePerMillionUsd(value)) {
            throw new IllegalArgumentException(property + " must be within [0, "
                    + LARGEST_PRICE_PER_MILLION_USD.toPlainString() + "] US dollars per million tokens with at most "
                    + PRICE_DECIMAL_PLACES + " decimal places, was " + Amounts.text(value));
        }
        return value;
    }

    /**
     * A time budget or timeout (1.11): positive and at most {@link #LONGEST_TIME_BUDGET}.
     *
     * @return {@code value}
     * @throws IllegalArgumentException when it is not
     */
    public static Duration timeBudget(String property, Duration value) {
        if (value.isNegative() || value.isZero() || value.compareTo(LONGEST_TIME_BUDGET) > 0) {
            throw new IllegalArgumentException(property + " must be positive and at most 36500 days, was "
                    + Durations.text(value));
        }
        return value;
    }
}
