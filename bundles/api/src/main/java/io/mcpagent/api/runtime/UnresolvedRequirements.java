package io.mcpagent.api.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * Why an installed bundle does not resolve, as far as the framework tells without its log: the requirements the
 * resolver must satisfy that no installed bundle provides, each described by namespace and filter. The deploy bundle
 * names them for the bundles of deploy/, core for the deploy bundle itself, alike.
 */
public final class UnresolvedRequirements {
    private UnresolvedRequirements() {
    }

    /**
     * The {@linkplain #mandatoryAtResolve mandatory} requirements of {@code revision} for which {@code wiring} finds
     * no provider, in the order the bundle declares them; empty when each has one, so that what keeps the bundle from
     * resolving is a provider that does not resolve itself.
     */
    public static List<Requirement> of(FrameworkWiring wiring, BundleRevision revision) {
        return revision.getRequirements(null).stream()
                .filter(requirement -> mandatoryAtResolve(requirement) && providers(wiring, requirement).isEmpty())
                .map(Requirement.class::cast).toList();
    }

    /**
     * The capabilities of installed bundles that satisfy {@code requirement}: those
     * {@link FrameworkWiring#findProviders} finds, and for a fragment's host requirement the host capabilities the
     * installed bundles declare, since Felix finds no host that is resolved already (a fragment deployed beside a
     * running host was reported as missing it, and its host was not refreshed for it to attach) (1.23).
     */
    public static List<BundleCapability> providers(FrameworkWiring wiring, Requirement requirement) {
        Collection<BundleCapability> found = wiring.findProviders(requirement);
        Bundle framework = wiring.getBundle();
        if (!found.isEmpty() || !HostNamespace.HOST_NAMESPACE.equals(requirement.getNamespace())
                || !(requirement instanceof BundleRequirement host) || framework == null
                || framework.getBundleContext() == null) {
            return List.copyOf(found);
        }
        List<BundleCapability> hosts = new ArrayList<>();
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            BundleRevision revision = bundle.adapt(BundleRevision.class);
            if (revision != null) {
                revision.getDeclaredCapabilities(HostNamespace.HOST_NAMESPACE).stream().filter(host::matches)
                        .forEach(hosts::add);
            }
        }
        return hosts;
    }

    /** A requirement the resolver must satisfy: neither optional, dynamic nor effective only at run time. */
    public static boolean mandatoryAtResolve(Requirement requirement) {
        Map<String, String> directives = requirement.getDirectives();
        String resolution = directives.get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
        String effective = directives.getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE, Namespace.EFFECTIVE_RESOLVE);
        return !Namespace.RESOLUTION_OPTIONAL.equals(resolution)
                && !PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)
                && Namespace.EFFECTIVE_RESOLVE.equals(effective);
    }

    /**
     * The requirement as a reader names it, from the filters a build tool writes: {@code package com.example.missing
     * [1.0.0,2.0.0)}, {@code host bundle com.example.host}, {@code extender osgi.component [1.5.0,2.0.0)}, {@code
     * execution environment JavaSE 25}, {@code service com.example.Api}; a filter of another shape by namespace and
     * filter, {@code osgi.wiring.package (|(a=b)(c=d))}, and {@code (any)} for a requirement without filter. Readable
     * since 1.23.1; before, always by namespace and filter.
     */
    public static String describe(Requirement requirement) {
        String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
        if (filter == null) {
            return requirement.getNamespace() + " (any)";
        }
        return ReadableRequirement.of(requirement.getNamespace(), filter)
                .orElse(requirement.getNamespace() + " " + filter);
    }
}
