package io.mcpagent.api.runtime;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * The settings a component reads from its configuration (a component property type {@code C}), guarded so that a
 * configuration it refuses never takes it down: a component whose activation throws is not there for anyone, and
 * one whose modification throws is deactivated. Call {@link #update} from the constructor and from the
 * {@code @Modified} method.
 * <p>
 * A configuration is refused when a property cannot be read as its type (the component runtime throws when it is
 * asked for it) or when {@code settingsOf} throws an {@link IllegalArgumentException}, whose message must name the
 * property and say what is wrong ({@code "minimumScore must be within [0, 1], was 2.0"}; {@link ConfigRanges} says
 * so for ranges). The refusal names every property that is wrong, not only the first one {@code settingsOf} meets:
 * each property is also checked alone, with the others at their defaults, so {@code settingsOf} must not have side
 * effects. Then the settings in force stay: the previous ones, or the type's defaults when no configuration was
 * accepted yet or the one accepted answers the defaults only (a component activated without a configuration), which the
 * refusal says ("the defaults are in force", "the defaults stay in force"). The refusal is logged through
 * {@code refused}, told to every {@link ConfigurationRefusalListener} service (1.14, through
 * {@link ConfigurationRefusals} since 1.15), and is a
 * {@link Problem} (source {@value #SOURCE}, subject the PID) until a configuration is accepted, which is logged through
 * {@code repaired}. A component using this registers
 * {@link ProblemReporter} as well and answers {@link #problems()}.
 *
 * @param <C> the component property type
 * @param <S> the checked settings made of it
 */
public final class GuardedConfiguration<C extends Annotation, S> {
    /** The {@link Problem#source()} of refused configurations, the same as that of configuration files. */
    public static final String SOURCE = "config";

    private final String pid;
    private final Class<C> type;
    private final Function<C, S> settingsOf;
    private final Consumer<String> refused;
    private final Consumer<String> repaired;
    /** Guards the transitions; readers see the volatile fields. */
    private final Object lock = new Object();
    private volatile S settings;
    private volatile Problem problem;
    private boolean accepted;
    /** Whether the configuration accepted last answers the type's defaults only (no file, or one that sets nothing). */
    private boolean acceptedDefaults;

    /**
     * @param pid        the configuration PID, named in messages with where it comes from: its file in {@code etc/}, or
     *                   Configuration Admin, such as the Web Console, when no file made it
     *                   ({@link ConfigurationOrigins#describe}, since 1.18)
     * @param type       the component property type, whose defaults apply until a configuration is accepted
     * @param settingsOf makes the settings, throwing {@link IllegalArgumentException} naming a property it refuses
     * @param refused    where a refusal is logged (the component's error log)
     * @param repaired   where the acceptance after a refusal is logged (the component's info log)
     */
    public GuardedConfiguration(String pid, Class<C> type, Function<C, S> settingsOf, Consumer<String> refused,
                                Consumer<String> repaired) {
        this.pid = Objects.requireNonNull(pid, "pid");
        this.type = Objects.requireNonNull(type, "type");
        this.settingsOf = Objects.requireNonNull(settingsOf, "settingsOf");
        this.refused = Objects.requireNonNull(refused, "refused");
        this.repaired = Objects.requireNonNull(repaired, "repaired");
    }

    /**
     * Takes {@code config} into use, or refuses it and keeps the settings in force.
     *
     * @return whether it was accepted
     * @throws IllegalArgumentException when even the type's defaults are refused: a mistake of the component
     */
    public boolean update(C config) {
        Objects.requireNonNull(config, "config");
        synchronized (lock) {
            Map<String, String> unreadable = unreadable(config);
            String refusal = null;
            if (unreadable.isEmpty()) {
                try {
                    settings = settingsOf.apply(config);
                    accepted = true;
                    acceptedDefaults = answersDefaults(config);
                    if (problem != null) {
                        problem = null;
                        repaired.accept("configuration " + pid + " (" + origin() + ") is accepted; the earlier refusal"
                                + " is cleared");
                    }
                    return true;
                } catch (IllegalArgumentException e) {
                    refusal = e.getMessage();
                }
            }
            refuse(everyRefusal(config, unreadable, refusal));
            return false;
        }
    }

    /** The settings in force. */
    public S settings() {
        return settings;
    }

    /** The refusal of the latest configuration, while it is not repaired; else empty. */
    public List<Problem> problems() {
        Problem current = problem;
        return current == null ? List.of() : List.of(current);
    }

    private void refuse(String why) {
        String kept;
        if (accepted) {
            // a component activated without a configuration has no previous settings of the user's to keep
            kept = acceptedDefaults ? "the defaults stay in force" : "the previous settings stay in force";
        } else {
            settings = settingsOf.apply(defaults(type));
            kept = "the defaults are in force";
        }
        String message = "configuration " + pid + " (" + origin() + ") is refused: " + why + "; " + kept
                + " until it is repaired";
        problem = new Problem(SOURCE, pid, message, Instant.now());
        refused.accept(message);
        tellListeners(message);
    }

    /**
     * Through the component's bundle (the one that loaded its property type); nobody outside a framework, where the
     * OSGi framework's classes may not even be there (a component's unit tests): they are touched only when they are.
     */
    private void tellListeners(String message) {
        if (frameworkClassesPresent()) {
            ConfigurationRefusals.tell(bundleContext(), pid, message, refused);
        }
    }

    /** The component's bundle's context (see {@link #tellListeners}); null outside a framework. */
    private BundleContext bundleContext() {
        Bundle bundle = FrameworkUtil.getBundle(type);
        return bundle == null ? null : bundle.getBundleContext();
    }

    private static boolean frameworkClassesPresent() {
        try {
            Class.forName("org.osgi.framework.FrameworkUtil", false, GuardedConfiguration.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Its file in etc/, or the Web Console's or another client's Configuration Admin ({@link ConfigurationOrigins}),
     * which is not loaded outside a framework, where the OSGi classes it uses may not be there.
     */
    private String origin() {
        BundleContext context = frameworkClassesPresent() ? bundleContext() : null;
        return context == null ? "etc/" + pid + ".cfg.json" : ConfigurationOrigins.describe(context, pid);
    }

    /**
     * Reads every property once, so that each one the component runtime cannot convert to its type is named here
     * rather than thrown from wherever the component first reads it.
     *
     * @return why, by the name of each property that cannot be read
     */
    private Map<String, String> unreadable(C config) {
        Map<String, String> unreadable = new LinkedHashMap<>();
        for (Method property : properties()) {
            try {
                property.invoke(config);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                unreadable.put(property.getName(), property.getName() + " cannot be read as "
                        + property.getReturnType().getSimpleName() + ": "
                        + (cause.getMessage() == null ? cause : cause.getMessage()));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("the configuration type " + type.getName() + " must be public", e);
            }
        }
        return unreadable;
    }

    /**
     * What is wrong with a refused configuration, every property at once: {@code settingsOf} may stop at the first
     * property it refuses, so each readable property is also checked alone, the others at their defaults. The refusal
     * of the whole configuration ({@code refusal}, null when it was not checked) is kept when it says more than those:
     * when it names them all already, or when only a combination of properties is wrong.
     */
    private String everyRefusal(C config, Map<String, String> unreadable, String refusal) {
        Set<String> alone = new LinkedHashSet<>();
        for (Method property : properties()) {
            if (unreadable.containsKey(property.getName())) {
                continue;
            }
            try {
                settingsOf.apply(defaultsExcept(type, property, config));
            } catch (IllegalArgumentException e) {
                alone.add(e.getMessage());
            }
        }
        Set<String> refusals = new LinkedHashSet<>(unreadable.values());
        if (refusal == null || !alone.stream().allMatch(refusal::contains)) {
            refusals.addAll(alone);
        }
        if (refusal != null) {
            refusals.add(refusal);
        }
        return String.join("; ", refusals);
    }

    /** Whether every property of {@code config} answers its default, as without a configuration. */
    private boolean answersDefaults(C config) {
        for (Method property : properties()) {
            try {
                if (!Objects.deepEquals(property.invoke(config), property.getDefaultValue())) {
                    return false;
                }
            } catch (ReflectiveOperationException e) {
                return false; // read once already by unreadable(): not expected
            }
        }
        return true;
    }

    /** The properties of the type, by name, so that refusals are named in the same order every time. */
    private List<Method> properties() {
        return Arrays.stream(type.getDeclaredMethods()).sorted(Comparator.comparing(Method::getName)).toList();
    }

    /** An instance of the component property type answering its defaults, as the component runtime would. */
    private static <A extends Annotation> A defaults(Class<A> type) {
        return defaultsExcept(type, null, null);
    }

    /** Like {@link #defaults}, except that {@code property} (unless null) answers what {@code config} does. */
    private static <A extends Annotation> A defaultsExcept(Class<A> type, Method property, A config) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + " defaults"
                            + (property == null ? "" : " but " + property.getName());
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.equals(property) ? method.invoke(config) : method.getDefaultValue();
                }));
    }
}
