package io.mcpagent.core.internal;

/**
 * Range checks of configured values, for the {@code settingsOf} functions of
 * {@link io.mcpagent.api.runtime.GuardedConfiguration}: a value out of range is refused, naming the property, the
 * range and the value, rather than brought into range without a word.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** @throws IllegalArgumentException when {@code value} is below {@code minimum} */
    public static void requireAtLeast(String property, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(property + " must be at least " + minimum + ", was " + value);
        }
    }

    /** @throws IllegalArgumentException when {@code value} is outside [{@code minimum}, {@code maximum}] */
    public static void requireWithin(String property, long value, long minimum, long maximum) {
        if (value < minimum || value > maximum) {
            throw new IllegalArgumentException(property + " must be within [" + minimum + ", " + maximum + "], was "
                    + value);
        }
    }
}
