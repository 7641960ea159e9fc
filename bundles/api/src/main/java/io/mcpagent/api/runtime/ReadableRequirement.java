package io.mcpagent.api.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Constants;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.ExecutionEnvironmentNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;

/**
 * A requirement's filter of the shape build tools write (its name, then a version floor and ceiling:
 * {@code (&(osgi.wiring.package=x)(version>=1.0.0)(!(version>=2.0.0)))}) as a reader names it:
 * {@code package x [1.0.0,2.0.0)}. Any other shape is not read (an alternative, another attribute, a wildcard).
 */
final class ReadableRequirement {
    /** How each namespace names what it requires, and which attribute holds its version. */
    private record Kind(String word, String nameAttribute, String versionAttribute) {
    }

    private static final Map<String, Kind> KINDS = Map.of(
            PackageNamespace.PACKAGE_NAMESPACE, new Kind("package", PackageNamespace.PACKAGE_NAMESPACE,
                    PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE),
            BundleNamespace.BUNDLE_NAMESPACE, new Kind("bundle", BundleNamespace.BUNDLE_NAMESPACE,
                    Constants.BUNDLE_VERSION_ATTRIBUTE),
            HostNamespace.HOST_NAMESPACE, new Kind("host bundle", HostNamespace.HOST_NAMESPACE,
                    Constants.BUNDLE_VERSION_ATTRIBUTE),
            "osgi.extender", new Kind("extender", "osgi.extender", "version"),
            ExecutionEnvironmentNamespace.EXECUTION_ENVIRONMENT_NAMESPACE, new Kind("execution environment",
                    ExecutionEnvironmentNamespace.EXECUTION_ENVIRONMENT_NAMESPACE,
                    ExecutionEnvironmentNamespace.CAPABILITY_VERSION_ATTRIBUTE),
            "osgi.service", new Kind("service", Constants.OBJECTCLASS, null));

    private ReadableRequirement() {
    }

    /** The requirement of that namespace and filter as a reader names it; empty for a filter of another shape. */
    static Optional<String> of(String namespace, String filter) {
        Kind kind = KINDS.getOrDefault(namespace, new Kind(namespace, namespace, "version"));
        Optional<List<String>> terms = terms(filter);
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        String name = null;
        Bound floor = null;
        Bound ceiling = null;
        String exact = null;
        for (String term : terms.get()) {
            boolean not = term.startsWith("!(") && term.endsWith(")");
            String test = not ? term.substring(2, term.length() - 1) : term;
            int at = test.indexOf('=');
            if (at <= 0 || test.indexOf('(') >= 0 || test.indexOf(')') >= 0 || test.indexOf('*') >= 0) {
                return Optional.empty();
            }
            char operator = test.charAt(at - 1);
            boolean compares = operator == '>' || operator == '<';
            String attribute = test.substring(0, compares ? at - 1 : at);
            String value = test.substring(at + 1);
            boolean version = attribute.equals(kind.versionAttribute());
            // a floor is >= or not <=, a ceiling not >= or <=: each once, as a build tool writes a range
            if (attribute.equals(kind.nameAttribute()) && !compares && !not && name == null) {
                name = value;
            } else if (version && compares && not == (operator == '<') && floor == null) {
                floor = new Bound(value, !not);
            } else if (version && compares && not == (operator == '>') && ceiling == null) {
                ceiling = new Bound(value, !not);
            } else if (version && !compares && !not && exact == null) {
                exact = value;
            } else {
                return Optional.empty();
            }
        }
        if (name == null || exact != null && (floor != null || ceiling != null)) {
            return Optional.empty();
        }
        return Optional.of(kind.word() + " " + name + (exact != null ? " " + exact : range(floor, ceiling)));
    }

    /** A version bound and whether it is included. */
    private record Bound(String version, boolean included) {
    }

    /** {@code [1.0.0,2.0.0)}, {@code 1.0.0 or later}, {@code below 2.0.0}, as bounds there are. */
    private static String range(Bound floor, Bound ceiling) {
        if (floor != null && ceiling != null) {
            return " " + (floor.included() ? "[" : "(") + floor.version() + "," + ceiling.version()
                    + (ceiling.included() ? "]" : ")");
        }
        if (floor != null) {
            return floor.included() ? " " + floor.version() + " or later" : " later than " + floor.version();
        }
        if (ceiling != null) {
            return ceiling.included() ? " up to " + ceiling.version() : " below " + ceiling.version();
        }
        return "";
    }

    /** The terms of a filter of one term or of an {@code &} of terms, without their outer parentheses. */
    private static Optional<List<String>> terms(String filter) {
        String trimmed = filter.strip();
        if (!trimmed.startsWith("(") || !trimmed.endsWith(")")) {
            return Optional.empty();
        }
        String inner = trimmed.substring(1, trimmed.length() - 1);
        if (!inner.startsWith("&")) {
            return Optional.of(List.of(inner));
        }
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = -1;
        for (int i = 1; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '(' && depth++ == 0) {
                start = i + 1;
            } else if (c == ')' && --depth == 0) {
                terms.add(inner.substring(start, i));
            } else if (depth <= 0) { // text between terms, or a parenthesis closing none
                return Optional.empty();
            }
        }
        return depth == 0 && !terms.isEmpty() ? Optional.of(terms) : Optional.empty();
    }
}
