package io.mcpagent.provider.support;

import java.util.Map;
import java.util.regex.Pattern;

import io.mcpagent.api.runtime.FactoryConfigurations;

/**
 * The id of what one factory configuration makes (a provider, an MCP server), and what is wrong with how it is named.
 * A file names it after '~' ({@code etc/<factoryPid>~<name>.cfg.json}); the Felix Web Console, like any Configuration
 * Admin client calling {@code createFactoryConfiguration}, gives the configuration a generated PID,
 * {@code <factoryPid>.<uuid>}, which names nothing, so such a configuration names it with its {@value #PROPERTY}
 * property. The rule, one for every factory: the part after '~' of the PID names it, and an {@value #PROPERTY} that
 * says otherwise refuses the configuration (never one silently picked); a PID without '~' takes the {@value #PROPERTY};
 * a generated one without it is refused, its id the whole PID as before. Since 2.25. An id must match {@link #NAME}
 * ({@link #namingProblem}), since 2.26.
 *
 * @param pid          the configuration's PID, which messages about the configuration name
 * @param id           the id of the instance: the part after '~', else the {@value #PROPERTY} property, else the PID
 * @param fromProperty whether the {@value #PROPERTY} property named it (the PID has no '~')
 * @param problem      why the configuration is refused for its naming, worded to follow "is refused: "; null when
 *                     it is not
 */
public record FactoryInstanceId(String pid, String id, boolean fromProperty, String problem) {
    /**
     * What an id must match: REST paths ({@code /api/v1/providers/<id>}) and shell commands ({@code llm:chat <id>})
     * address the instance by it, which a '/' or a blank would break. Since 2.26.
     */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,47}");
    /** The configuration property that names the instance of a configuration whose PID does not. */
    public static final String PROPERTY = FactoryConfigurations.ID_PROPERTY;
    /** What the Web Console's form says of {@value #PROPERTY}: the metatype description of a configuration type's. */
    public static final String DESCRIPTION = "the name of this instance, its plugin id, used when the configuration"
            + " has a generated PID, such as one made in the Web Console; a file names it after '~' and needs none,"
            + " and an id naming it otherwise refuses the configuration; [A-Za-z0-9][A-Za-z0-9_.-]{0,47}";

    /** Instance {@code name} of file {@code etc/<factoryPid>~<name>.cfg.json}, without {@value #PROPERTY}. */
    public static FactoryInstanceId ofFile(String factoryPid, String name) {
        return of(factoryPid, factoryPid + "~" + name, "");
    }

    /** The id of the instance of the component's configuration: its {@code service.pid} and {@value #PROPERTY}. */
    public static FactoryInstanceId of(String factoryPid, Map<String, ?> componentProperties) {
        Object pid = componentProperties.get("service.pid");
        Object property = componentProperties.get(PROPERTY);
        return of(factoryPid, pid == null ? "" : pid.toString(), property == null ? "" : property.toString());
    }

    /** The id of the instance of configuration {@code pid} of {@code factoryPid}, whose {@value #PROPERTY} is given. */
    public static FactoryInstanceId of(String factoryPid, String pid, String property) {
        String configured = property.strip();
        String id = FactoryConfigurations.instanceId(pid, configured); // the rule, which the shell and others read too
        if (pid.indexOf('~') >= 0) {
            return new FactoryInstanceId(pid, id, false, configured.isEmpty() || configured.equals(id) ? null
                    : "its PID names it '" + id + "' (the part after '~') and its " + PROPERTY + " '" + configured
                            + "': remove " + PROPERTY + ", or make it '" + id + "'");
        }
        if (!configured.isEmpty()) {
            return new FactoryInstanceId(pid, id, true, null);
        }
        return new FactoryInstanceId(pid, id, false, !pid.startsWith(factoryPid + ".") ? null
                : "its PID is a generated one (the Web Console gives one to a configuration it creates), which names"
                        + " nothing: set " + PROPERTY + " (the name) in its form in the Web Console, or configure it in"
                        + " etc/" + factoryPid + "~<name>.cfg.json instead");
    }

    /**
     * Why the configuration is refused for how it names its instance: its {@link #problem()}, else an id that does
     * not match {@link #NAME}, called {@code idName} in the message ({@code "server name"}, {@code "provider id"});
     * null when it is not refused for it. Since 2.26.
     */
    public String namingProblem(String idName) {
        if (problem != null || NAME.matcher(id).matches()) {
            return problem;
        }
        return idName + " '" + id + "' must match " + NAME.pattern() + (fromProperty
                ? " (it is the configuration's " + PROPERTY + ")" : " (it is the part after '~' in the file name)");
    }
}
