package io.mcpagent.api.plugin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for a component that registers an {@link io.mcpagent.api.llm.LlmProvider}:
 * sets {@value PluginProperties#ID}, {@value PluginProperties#KIND} = {@code provider}, and the optional
 * version, name and description properties.
 * <pre>{@code @Component(service = ...) @ProviderPlugin(id = "my-plugin", name = "My plugin")}</pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ProviderPlugin {
    String PREFIX_ = "mcpagent.plugin.";

    /**
     * Stable plugin id, unique across all plugin kinds: a plugin of another kind with the same id (an MCP server
     * {@code mine} and an analyzer {@code mine}) clashes, and only one of them is used; see
     * {@link PluginProperties#ID}.
     */
    String id();

    /** Fixed for this annotation; do not override. */
    String kind() default "provider";

    /** Implementation version; empty means the bundle version. */
    String version() default "";

    String name() default "";

    String description() default "";
}
