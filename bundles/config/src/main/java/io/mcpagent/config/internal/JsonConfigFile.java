package io.mcpagent.config.internal;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.mcpagent.api.runtime.ParserMessages;

/**
 * One {@code etc/<pid>.cfg.json} or {@code etc/<factoryPid>~<name>.cfg.json} file: its PID and its properties,
 * converted the way the OSGi Configurator specification converts JSON (integral numbers to Long, decimals to
 * Double, optional {@code "key:Type"} suffixes such as {@code "port:Integer"} or {@code "names:String[]"}), except
 * that {@code service.ranking} is always an Integer.
 */
record JsonConfigFile(String pid, String factoryPid, String name, Dictionary<String, Object> properties) {
    static final String SUFFIX = ".cfg.json";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** The OSGi service property that orders services; see {@link #ranking}. */
    static final String SERVICE_RANKING = "service.ranking";
    private static final Set<String> TYPES = Set.of("String", "Integer", "Long", "Float", "Double", "Boolean",
            "Short", "Byte", "Character");

    /** A file that cannot be applied; the message names the place in the file and what to fix. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    static boolean handles(File file) {
        String name = file.getName();
        return name.endsWith(SUFFIX) && name.length() > SUFFIX.length();
    }

    static JsonConfigFile read(File file) throws Invalid, IOException {
        String base = file.getName().substring(0, file.getName().length() - SUFFIX.length());
        int tilde = base.indexOf('~');
        String factoryPid = tilde < 0 ? null : base.substring(0, tilde);
        String name = tilde < 0 ? null : base.substring(tilde + 1);
        if (tilde == 0 || (name != null && name.isEmpty())) {
            throw new Invalid("the file name must be <pid>.cfg.json or <factoryPid>~<name>.cfg.json");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new Invalid("not valid JSON: " + where + ParserMessages.withoutSource(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("the file must hold one JSON object of configuration properties");
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (key.startsWith(":configurator:")) {
                continue;
            }
            int colon = key.indexOf(':');
            String property = colon < 0 ? key : key.substring(0, colon);
            String type = colon < 0 ? null : key.substring(colon + 1);
            if (property.isEmpty()) {
                throw new Invalid("property '" + key + "': the name before ':' is empty");
            }
            if (properties.get(property) != null) {
                throw new Invalid("property '" + property + "' is given twice (with and without a type)");
            }
            Object value = convert(key, field.getValue(), type);
            properties.put(property, property.equals(SERVICE_RANKING) ? ranking(key, value, field.getValue()) : value);
        }
        return new JsonConfigFile(factoryPid == null ? base : null, factoryPid, name, properties);
    }

    private static Object convert(String key, JsonNode value, String type) throws Invalid {
        if (value.isNull()) {
            throw new Invalid("property '" + key + "' is null; remove it or give it a value");
        }
        if (value.isObject()) {
            throw new Invalid("property '" + key + "' is a JSON object; configuration values are strings, numbers,"
                    + " booleans or arrays of them");
        }
        if (type == null) {
            return value.isArray() ? untypedArray(key, value) : scalar(key, value);
        }
        boolean array = type.endsWith("[]");
        String element = array ? type.substring(0, type.length() - 2) : type;
        if (!TYPES.contains(element)) {
            throw new Invalid("property '" + key + "': unknown type '" + type + "'; use one of " + TYPES
                    + " or an array of one, e.g. String[]");
        }
        if (array != value.isArray()) {
            throw new Invalid("property '" + key + "': " + (array ? "expected a JSON array" : "expected a single value, not an array"));
        }
        if (!array) {
            return typed(key, value, element);
        }
        Object result = Array.newInstance(boxed(element), value.size());
        for (int i = 0; i < value.size(); i++) {
            Array.set(result, i, typed(key + "[" + i + "]", value.get(i), element));
        }
        return result;
    }

    /**
     * A {@value #SERVICE_RANKING} as the Integer OSGi requires: the framework counts a ranking of any other type as 0,
     * so {@code "service.ranking": 10} (a Long, as whole numbers are) would silently change nothing. A whole number
     * outside the int range, or a value that is no whole number, is refused.
     */
    private static Integer ranking(String key, Object value, JsonNode given) throws Invalid {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long whole = ((Number) value).longValue();
            if (whole >= Integer.MIN_VALUE && whole <= Integer.MAX_VALUE) {
                return (int) whole;
            }
        }
        throw new Invalid("property '" + key + "': a service ranking must be a whole number from " + Integer.MIN_VALUE
                + " to " + Integer.MAX_VALUE + " (OSGi takes it as an Integer), found " + given);
    }

    private static Object scalar(String key, JsonNode value) throws Invalid {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw new Invalid("property '" + key + "': " + value + " does not fit a Long");
            }
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        throw new Invalid("property '" + key + "': unsupported value " + value);
    }

    private static Object untypedArray(String key, JsonNode array) throws Invalid {
        if (array.isEmpty()) {
            return new String[0];
        }
        Object first = scalar(key + "[0]", array.get(0));
        Object result = Array.newInstance(first.getClass(), array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            if (item.isContainerNode() || item.isNull()) {
                throw new Invalid("property '" + key + "[" + i + "]': arrays hold strings, numbers or booleans only");
            }
            Object converted = scalar(key + "[" + i + "]", item);
            if (converted.getClass() != first.getClass()) {
                throw new Invalid("property '" + key + "': mixes " + first.getClass().getSimpleName() + " and "
                        + converted.getClass().getSimpleName() + " values; give the type, e.g. \"" + key + ":String[]\"");
            }
            Array.set(result, i, converted);
        }
        return result;
    }

    private static Object typed(String key, JsonNode value, String type) throws Invalid {
        if (value.isContainerNode() || value.isNull()) {
            throw new Invalid("property '" + key + "': expected a " + type + ", found " + value);
        }
        String text = value.asText();
        try {
            return switch (type) {
                case "String" -> text;
                case "Integer" -> Integer.valueOf(text);
                case "Long" -> Long.valueOf(text);
                case "Float" -> Float.valueOf(text);
                case "Double" -> Double.valueOf(text);
                case "Short" -> Short.valueOf(text);
                case "Byte" -> Byte.valueOf(text);
                case "Character" -> {
                    if (text.length() != 1) {
                        throw new Invalid("property '" + key + "': expected one character, found \"" + text + "\"");
                    }
                    yield text.charAt(0);
                }
                case "Boolean" -> {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new Invalid("property '" + key + "': expected true or false, found " + value);
                    }
                    yield Boolean.valueOf(text);
                }
                default -> throw new IllegalStateException(type);
            };
        } catch (NumberFormatException e) {
            throw new Invalid("property '" + key + "': " + value + " is not a valid " + type);
        }
    }

    private static Class<?> boxed(String type) {
        return switch (type) {
            case "Integer" -> Integer.class;
            case "Long" -> Long.class;
            case "Float" -> Float.class;
            case "Double" -> Double.class;
            case "Short" -> Short.class;
            case "Byte" -> Byte.class;
            case "Character" -> Character.class;
            case "Boolean" -> Boolean.class;
            default -> String.class;
        };
    }
}
