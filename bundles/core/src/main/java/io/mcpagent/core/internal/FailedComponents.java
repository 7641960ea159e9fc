package io.mcpagent.core.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * Every component that failed to activate, as DS reports it ({@code FAILED_ACTIVATION}): a bundle can be ACTIVE
 * while its component, and the services it would register, do not work (the history on a database it cannot open).
 * The reason is the first line of the failure DS keeps, without the stack trace and without absolute paths, which
 * the log has.
 */
@Component(service = ProblemReporter.class)
public final class FailedComponents implements ProblemReporter {
    static final String SOURCE = "component";
    /** Reasons longer than this are cut: the log has the whole failure. */
    static final int MAX_REASON = 1000;
    /** A Java exception class name leading a stack trace's line ({@code java.lang.IllegalStateException: }). */
    private static final Pattern EXCEPTION_CLASS = Pattern.compile("^(?:[\\w$]+\\.)+[\\w$]+(?::\\s*|$)");
    /**
     * An absolute path of two or more names ({@code /home/op/data/history/executions.mv.db}, {@code C:\data\x}), not
     * the path of a URL ({@code //host/db}) or a relative one ({@code etc/x.cfg.json}); its last name is kept.
     */
    private static final Pattern ABSOLUTE_PATH =
            Pattern.compile("(?<![\\w./\\\\-])(?:[A-Za-z]:)?[/\\\\](?:[^/\\\\\\s;,'\"()]+[/\\\\])+([^/\\\\\\s;,'\"()]+)");

    private final ServiceComponentRuntime runtime;
    private final Clock clock;
    /** When each failed component configuration (by DS id) was first seen failing, so that {@code since} stays. */
    private final Map<Long, Instant> firstSeen = new ConcurrentHashMap<>();

    @Activate
    public FailedComponents(@Reference ServiceComponentRuntime runtime) {
        this(runtime, Clock.systemUTC());
    }

    FailedComponents(ServiceComponentRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.clock = clock;
    }

    @Override
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        List<Long> failing = new ArrayList<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state != ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    continue;
                }
                failing.add(configuration.id);
                Instant since = firstSeen.computeIfAbsent(configuration.id, id -> clock.instant());
                problems.add(new Problem(SOURCE, description.name, "component " + description.name + " of bundle "
                        + description.bundle.symbolicName + " failed to activate: " + reason(configuration.failure)
                        + "; its services cannot be used (the log has the whole failure)", since));
            }
        }
        firstSeen.keySet().retainAll(failing);
        return problems;
    }

    /**
     * What DS says went wrong, for operators: the message of the exception (the first of its causes that has one),
     * without the exception's class name, the stack trace or absolute paths.
     */
    static String reason(String failure) {
        if (failure == null || failure.isBlank()) {
            return "DS gives no reason";
        }
        String reason = "";
        for (String line : failure.strip().split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("at ") || trimmed.startsWith("...")) {
                continue;
            }
            reason = EXCEPTION_CLASS.matcher(trimmed.replaceFirst("^Caused by:\\s*", "")).replaceFirst("");
            if (!reason.isBlank()) {
                break;
            }
        }
        reason = withoutAbsolutePaths(reason.isBlank() ? "DS gives no reason" : reason);
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
    }

    /** {@code text} with each absolute path cut to its last name: a problem is read by viewers, the log by admins. */
    static String withoutAbsolutePaths(String text) {
        return ABSOLUTE_PATH.matcher(text).replaceAll("$1");
    }
}
