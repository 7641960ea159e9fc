package io.mcpagent.config.internal;

import java.math.BigDecimal;
import java.util.function.LongFunction;

import org.osgi.service.metatype.AttributeDefinition;

/**
 * The range a numeric attribute allows, for a refusal to name. The metatype API gives an attribute's minimum and
 * maximum to nobody, and Felix MetaType's verdict is only "less than minimum" or "greater than maximum". The verdict
 * is monotone in the value, though, so a binary search over the type's values (over the ordered bit patterns for
 * Float and Double) finds each bound exactly, in at most 64 validations.
 */
final class AllowedRange {
    private static final String BELOW = "less than minimum";
    private static final String ABOVE = "greater than maximum";

    private AllowedRange() {
    }

    /**
     * @param reason the attribute's verdict on the refused value, without Felix's '%' prefix
     * @return "0 to 1", "at least 1" or "at most 5"; null when the reason is not about the range or the attribute is
     *         not numeric (a String's minimum and maximum are lengths)
     */
    static String of(AttributeDefinition attribute, String reason) {
        Scale scale = Scale.of(attribute.getType());
        if (scale == null || !(reason.equals(BELOW) || reason.equals(ABOVE))) {
            return null;
        }
        boolean hasMin = says(attribute, scale, scale.lowest, BELOW);
        boolean hasMax = says(attribute, scale, scale.highest, ABOVE);
        if (says(attribute, scale, scale.highest, BELOW) || says(attribute, scale, scale.lowest, ABOVE)) {
            return null; // no value of the type is allowed: a bound the search cannot name
        }
        String min = hasMin ? scale.shown(firstNotBelow(attribute, scale)) : null;
        String max = hasMax ? scale.shown(lastNotAbove(attribute, scale)) : null;
        return min != null && max != null ? min + " to " + max : min != null ? "at least " + min : "at most " + max;
    }

    private static long firstNotBelow(AttributeDefinition attribute, Scale scale) {
        long low = scale.lowest;
        long high = scale.highest;
        while (low < high) {
            long middle = (low & high) + ((low ^ high) >> 1); // floor of the mean, without overflow
            if (says(attribute, scale, middle, BELOW)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static long lastNotAbove(AttributeDefinition attribute, Scale scale) {
        long low = scale.lowest;
        long high = scale.highest;
        while (low < high) {
            long middle = (low | high) - ((low ^ high) >> 1); // ceiling of the mean, without overflow
            if (says(attribute, scale, middle, ABOVE)) {
                high = middle - 1;
            } else {
                low = middle;
            }
        }
        return low;
    }

    private static boolean says(AttributeDefinition attribute, Scale scale, long key, String verdict) {
        String answer = attribute.validate(scale.text.apply(key));
        return answer != null && (answer.equals(verdict) || answer.equals("%" + verdict));
    }

    /** A numeric type's values as ordered keys: the value itself, or a floating point value's ordered bits. */
    private record Scale(long lowest, long highest, LongFunction<String> text) {
        static Scale of(int type) {
            return switch (type) {
                case AttributeDefinition.LONG -> whole(Long.MIN_VALUE, Long.MAX_VALUE);
                case AttributeDefinition.INTEGER -> whole(Integer.MIN_VALUE, Integer.MAX_VALUE);
                case AttributeDefinition.SHORT -> whole(Short.MIN_VALUE, Short.MAX_VALUE);
                case AttributeDefinition.BYTE -> whole(Byte.MIN_VALUE, Byte.MAX_VALUE);
                case AttributeDefinition.DOUBLE -> new Scale(doubleKey(-Double.MAX_VALUE), doubleKey(Double.MAX_VALUE),
                        key -> Double.toString(Double.longBitsToDouble(key >= 0 ? key : key ^ Long.MAX_VALUE)));
                case AttributeDefinition.FLOAT -> new Scale(floatKey(-Float.MAX_VALUE), floatKey(Float.MAX_VALUE),
                        key -> Float.toString(Float.intBitsToFloat((int) (key >= 0 ? key : key ^ Integer.MAX_VALUE))));
                default -> null;
            };
        }

        private static Scale whole(long lowest, long highest) {
            return new Scale(lowest, highest, Long::toString);
        }

        private static long doubleKey(double value) {
            long bits = Double.doubleToLongBits(value);
            return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
        }

        private static long floatKey(float value) {
            int bits = Float.floatToIntBits(value);
            return bits >= 0 ? bits : bits ^ Integer.MAX_VALUE;
        }

        /** 1 rather than 1.0, 0.5 rather than 5.0E-1. */
        String shown(long key) {
            return new BigDecimal(text.apply(key)).stripTrailingZeros().toPlainString();
        }
    }
}
