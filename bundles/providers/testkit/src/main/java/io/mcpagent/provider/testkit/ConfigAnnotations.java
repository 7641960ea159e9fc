package io.mcpagent.provider.testkit;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A configuration annotation (an OSGi metatype {@code @ObjectClassDefinition} type) as a component receives it, for
 * tests: the given attribute values, and the annotation's defaults for the others.
 */
public final class ConfigAnnotations {
    private ConfigAnnotations() {
    }

    /** {@code type} with {@code attributes} (name to a value of the attribute's type) overriding its defaults. */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> attributes) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + attributes;
                    case "hashCode" -> attributes.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> attributes.containsKey(method.getName()) ? attributes.get(method.getName())
                            : method.getDefaultValue();
                }));
    }
}
