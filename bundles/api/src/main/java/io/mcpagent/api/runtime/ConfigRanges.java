package io.mcpagent.api.runtime;

/**
 * Range checks of configured values, for the {@code settingsOf} functions of {@link GuardedConfiguration}: a value out
 * of range is refused with an {@link IllegalArgumentException} naming the property, the range and the value
 * ({@code "maxConcurrent must be at least 1, was 0"}), rather than brought into range without a word.
 */
public final class ConfigRanges {
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
}
