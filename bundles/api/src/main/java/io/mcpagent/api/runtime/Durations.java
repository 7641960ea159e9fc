package io.mcpagent.api.runtime;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a duration reads in a message for operators ({@code 3 s}, {@code 2 min 30 s}, {@code 1 h 5 min},
 * {@code 250 ms}) instead of {@link Duration#toString()}'s ISO-8601 {@code PT2M30S}.
 */
public final class Durations {
    private Durations() {
    }

    /**
     * Hours, minutes and seconds, each only when not zero, seconds with up to three decimals ({@code 1.5 s});
     * under a second in milliseconds; {@code 0 s} for zero; a negative duration with a leading {@code -}. Parts of
     * a millisecond are left out.
     */
    public static String text(Duration duration) {
        if (duration.isNegative()) {
            return "-" + text(duration.negated());
        }
        if (duration.isZero()) {
            return "0 s";
        }
        if (duration.getSeconds() == 0) {
            return duration.toMillis() + " ms";
        }
        List<String> parts = new ArrayList<>(3);
        if (duration.toHours() > 0) {
            parts.add(duration.toHours() + " h");
        }
        if (duration.toMinutesPart() > 0) {
            parts.add(duration.toMinutesPart() + " min");
        }
        if (duration.toSecondsPart() > 0 || duration.toMillisPart() > 0) {
            parts.add(BigDecimal.valueOf(duration.toSecondsPart() * 1000L + duration.toMillisPart(), 3)
                    .stripTrailingZeros().toPlainString() + " s");
        }
        return String.join(" ", parts);
    }
}
