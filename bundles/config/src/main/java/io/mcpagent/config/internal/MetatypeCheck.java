package io.mcpagent.config.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Checks a file's properties against the metatype of its PID before they reach ConfigAdmin. Declarative Services
 * takes whatever it gets: it narrows 4294967297 to the int 1, 2.7 to 2, {@code true} to 1, {@code [3,4]} to 3, and a
 * misspelt property simply leaves the setting at its default. So a property the metatype does not define, a value
 * of the wrong JSON type or outside the Java type's range, and a value the attribute's own validation refuses
 * (options, min/max) make the file invalid, with every such property named.
 */
final class MetatypeCheck {
    /** Properties that are not component settings: ConfigAdmin's and FileInstall's, DS reference targets. */
    private static final List<String> NOT_SETTINGS_PREFIXES = List.of("service.", "component.");
    private static final List<String> NOT_SETTINGS_SUFFIXES = List.of(".target", ".cardinality.minimum");

    private MetatypeCheck() {
    }

    /**
     * @param pid     the PID, or factory PID, that {@code definition} describes
     * @param retired properties the PID's bundle no longer reads ({@link RetiredProperties}): not unknown, as the
     *                caller warns of them
     * @throws JsonConfigFile.Invalid naming each property that does not fit and why
     */
    static void check(String pid, ObjectClassDefinition definition, Set<String> retired,
            Dictionary<String, Object> properties) throws JsonConfigFile.Invalid {
        Map<String, AttributeDefinition> attributes = new TreeMap<>();
        AttributeDefinition[] all = definition.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition attribute : all == null ? new AttributeDefinition[0] : all) {
            attributes.put(attribute.getID(), attribute);
        }
        List<String> problems = new ArrayList<>();
        List<String> keys = Collections.list(properties.keys());
        Collections.sort(keys);
        for (String key : keys) {
            AttributeDefinition attribute = attributes.get(key);
            if (attribute != null) {
                checkValue(key, attribute, properties.get(key), problems);
            } else if (isSetting(key) && !retired.contains(key)) {
                problems.add(unknown(key, pid, attributes.keySet()));
            }
        }
        if (!problems.isEmpty()) {
            throw new JsonConfigFile.Invalid(String.join("; ", problems));
        }
    }

    private static boolean isSetting(String key) {
        return !key.equals(JsonConfigInstaller.FILENAME)
                && NOT_SETTINGS_PREFIXES.stream().noneMatch(key::startsWith)
                && NOT_SETTINGS_SUFFIXES.stream().noneMatch(key::endsWith);
    }

    private static String unknown(String key, String pid, Set<String> known) {
        String lowerKey = key.toLowerCase(Locale.ROOT);
        String closest = known.stream()
                .min(Comparator.comparingInt(name -> distance(lowerKey, name.toLowerCase(Locale.ROOT))))
                .orElse(null);
        if (closest != null && distance(lowerKey, closest.toLowerCase(Locale.ROOT)) <= Math.max(1, key.length() / 4)) {
            return "unknown property '" + key + "' (did you mean '" + closest + "'?)";
        }
        return "unknown property '" + key + "'; " + pid + " has "
                + (known.isEmpty() ? "no properties" : String.join(", ", known));
    }

    private static void checkValue(String key, AttributeDefinition attribute, Object value, List<String> problems) {
        int cardinality = attribute.getCardinality();
        if (!value.getClass().isArray()) {
            // a single value for a multi-valued attribute is fine: DS makes it an array of one
            addIfWrong(key, attribute, value, problems);
            return;
        }
        if (cardinality == 0) {
            problems.add("property '" + key + "': takes a single " + typeName(attribute) + ", not an array");
            return;
        }
        int length = Array.getLength(value);
        int most = Math.abs(cardinality);
        if (most != Integer.MAX_VALUE && length > most) {
            problems.add("property '" + key + "': takes at most " + most + " values, found " + length);
            return;
        }
        for (int i = 0; i < length; i++) {
            addIfWrong(key + "[" + i + "]", attribute, Array.get(value, i), problems);
        }
    }

    private static void addIfWrong(String key, AttributeDefinition attribute, Object value, List<String> problems) {
        String problem = typeProblem(attribute, value);
        if (problem == null) {
            problem = refusal(attribute, value);
        }
        if (problem != null) {
            problems.add("property '" + key + "': " + problem);
        }
    }

    /** Why {@code value} is not of the attribute's type, or null when it is. */
    private static String typeProblem(AttributeDefinition attribute, Object value) {
        String type = typeName(attribute);
        return switch (attribute.getType()) {
            case AttributeDefinition.STRING, AttributeDefinition.PASSWORD ->
                    value instanceof String ? null : "expected a string, found " + shown(value);
            case AttributeDefinition.BOOLEAN ->
                    value instanceof Boolean ? null : "expected true or false, found " + shown(value);
            case AttributeDefinition.CHARACTER ->
                    value instanceof Character || value instanceof String s && s.length() == 1 ? null
                            : "expected one character, found " + shown(value);
            case AttributeDefinition.LONG -> wholeNumber(value, type, Long.MIN_VALUE, Long.MAX_VALUE);
            case AttributeDefinition.INTEGER -> wholeNumber(value, type, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case AttributeDefinition.SHORT -> wholeNumber(value, type, Short.MIN_VALUE, Short.MAX_VALUE);
            case AttributeDefinition.BYTE -> wholeNumber(value, type, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case AttributeDefinition.FLOAT -> !(value instanceof Number number) ? "expected a number (" + type
                    + "), found " + shown(value) : Math.abs(number.doubleValue()) > Float.MAX_VALUE
                    ? number + " is outside the Float range" : null;
            default -> value instanceof Number ? null : "expected a number (" + type + "), found " + shown(value);
        };
    }

    private static String wholeNumber(Object value, String type, long min, long max) {
        if (value instanceof Double || value instanceof Float) {
            return "expected a whole number (" + type + "), found " + value;
        }
        if (!(value instanceof Number number)) {
            return "expected a whole number (" + type + "), found " + shown(value);
        }
        long whole = number.longValue();
        return whole < min || whole > max ? whole + " is outside the " + type + " range " + min + ".." + max : null;
    }

    /** What the attribute's own validation (options, min and max) says against a value of the right type. */
    private static String refusal(AttributeDefinition attribute, Object value) {
        String text = String.valueOf(value);
        // a multi-valued attribute validates a comma separated list; one element is checked at a time
        String verdict = attribute.validate(attribute.getCardinality() == 0 ? text : escapeListElement(text));
        if (verdict == null || verdict.isEmpty()) {
            return null;
        }
        // Felix prefixes its messages with '%' (a localisation key)
        String reason = verdict.startsWith("%") ? verdict.substring(1) : verdict;
        boolean secret = attribute.getType() == AttributeDefinition.PASSWORD;
        String[] options = attribute.getOptionValues();
        if (options != null && options.length > 0 && !secret) {
            return shown(value) + " is refused: " + reason + "; one of " + Arrays.toString(options);
        }
        String range = secret ? null : AllowedRange.of(attribute, reason);
        if (range != null) {
            return shown(value) + " is out of range (allowed: " + range + ")";
        }
        String description = attribute.getDescription();
        return (secret ? "the value" : shown(value)) + " is refused: " + reason
                + (description == null || description.isBlank() ? "" : " (" + description.strip() + ")");
    }

    private static String escapeListElement(String text) {
        return text.replace("\\", "\\\\").replace(",", "\\,").replace(" ", "\\ ");
    }

    private static String shown(Object value) {
        return value instanceof String || value instanceof Character ? "\"" + value + "\"" : String.valueOf(value);
    }

    private static String typeName(AttributeDefinition attribute) {
        return switch (attribute.getType()) {
            case AttributeDefinition.STRING -> "String";
            case AttributeDefinition.PASSWORD -> "Password";
            case AttributeDefinition.BOOLEAN -> "Boolean";
            case AttributeDefinition.CHARACTER -> "Character";
            case AttributeDefinition.LONG -> "Long";
            case AttributeDefinition.INTEGER -> "Integer";
            case AttributeDefinition.SHORT -> "Short";
            case AttributeDefinition.BYTE -> "Byte";
            case AttributeDefinition.FLOAT -> "Float";
            case AttributeDefinition.DOUBLE -> "Double";
            default -> "number";
        };
    }

    /** Levenshtein distance, for the closest known name to a misspelt one. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
