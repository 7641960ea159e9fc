package io.mcpagent.mcp.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The number properties of a server configuration that Declarative Services could not convert. Configuration Admin
 * takes any value (a ConfigAdmin client, or a file's value changed in the Web Console, can set {@code drainMs} to
 * {@code "soon"}), and DS throws its own error when such a property is read: the component failed to activate, with
 * no refusal naming the property. A file in {@code etc/} is checked against the metatype before it is applied.
 */
final class ConvertedNumbers {
    private ConvertedNumbers() {
    }

    /**
     * {@code config}, with each number property DS cannot convert read as its default and named among
     * {@code problems} with its value in {@code properties} (the configuration as Configuration Admin holds it).
     */
    static ServerConfig of(ServerConfig config, Map<String, ?> properties, List<String> problems) {
        Set<String> unconverted = new HashSet<>();
        for (Method property : ServerConfig.class.getDeclaredMethods()) {
            Class<?> type = property.getReturnType();
            if (type != long.class && type != int.class) {
                continue;
            }
            try {
                property.invoke(config);
            } catch (InvocationTargetException unconvertible) {
                unconverted.add(property.getName());
                problems.add(property.getName() + " must be a whole number" + (type == int.class
                        ? " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : "") + ", not "
                        + shown(properties.get(property.getName())));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("a configuration's property cannot be read: " + property, e);
            }
        }
        if (unconverted.isEmpty()) {
            return config;
        }
        return (ServerConfig) Proxy.newProxyInstance(ServerConfig.class.getClassLoader(),
                new Class<?>[] {ServerConfig.class}, (proxy, method, args) -> {
                    if (unconverted.contains(method.getName())) {
                        return method.getDefaultValue();
                    }
                    try {
                        return method.invoke(config, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A value as the operator wrote it: a text in quotes, an array with its elements. */
    private static String shown(Object value) {
        if (value instanceof Object[] values) {
            return Arrays.toString(Arrays.stream(values).map(ConvertedNumbers::shown).toArray());
        }
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }
}
