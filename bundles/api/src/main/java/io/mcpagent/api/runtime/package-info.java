/**
 * Runtime diagnostics: {@link io.mcpagent.api.runtime.Problem}s reported by {@link io.mcpagent.api.runtime.ProblemReporter} services,
 * and {@link io.mcpagent.api.runtime.Durations}, how durations read in messages for operators (1.1);
 * {@link io.mcpagent.api.runtime.GuardedConfiguration}, a component's settings that a refused configuration never
 * takes down (1.2); {@link io.mcpagent.api.runtime.ParserMessages}, JSON parser messages without the parser's
 * internals (1.4); {@link io.mcpagent.api.runtime.BundleServices}, whether a bundle's service can be used and why
 * not (1.5); {@link io.mcpagent.api.runtime.UnstartedComponents}, which services keep an active bundle's components
 * from starting and which bundle provides them (1.6); {@link io.mcpagent.api.runtime.HttpServiceSettings}, the HTTP
 * service's ports and switches as Felix Jetty reads them, a framework property's where its configuration sets none
 * (1.7), and a port as Jetty takes it: fixed, any free one, or that connector off (1.8), the first free one of a
 * range, or Jetty's default port for a value it does not read as one (1.9); {@link io.mcpagent.api.runtime.Amounts}, how
 * an amount of money reads in a message, never written out to a billion zeros, and
 * {@link io.mcpagent.api.runtime.ConfigRanges#costBudgetUsd}, the range of a cost budget (1.10);
 * {@link io.mcpagent.api.runtime.ConfigRanges#pricePerMillionUsd}, the range of a model's price (1.11);
 * {@link io.mcpagent.api.runtime.DeployFolder}, the deploy folder and the files bundle locations name, read as
 * FileInstall names the jars there (1.12); {@link io.mcpagent.api.runtime.UnresolvedRequirements}, the mandatory
 * requirements of a bundle that no installed bundle provides, described by namespace and filter (1.13);
 * {@link io.mcpagent.api.runtime.ConfigurationRefusalListener}, told when a component refuses a configuration
 * ConfigAdmin took, through {@link io.mcpagent.api.runtime.GuardedConfiguration} (1.14);
 * {@link io.mcpagent.api.runtime.ConfigurationRefusals}, the one way every refusal of a configuration reaches those
 * listeners: a factory configuration its component refuses itself, a configuration file refused before ConfigAdmin
 * (1.15); {@link io.mcpagent.api.runtime.UnstartedComponents#unavailable}, why an active bundle's service is
 * missing, the problems reported about its components first, for REST and the shell alike, and
 * {@link io.mcpagent.api.runtime.EarlyConfigurationListener}, told once of the configuration changes and refusals made
 * while no such listener was registered, such as those of a start of the runtime before the audit log starts (1.16),
 * and then of each as it happens, so that it hears them from one place only (1.17);
 * {@link io.mcpagent.api.runtime.ConfigurationOrigins}, where a configuration comes from, its file in {@code etc/} or
 * Configuration Admin (the Web Console), which {@link io.mcpagent.api.runtime.GuardedConfiguration}'s messages name
 * instead of a file that does not exist (1.18); {@link io.mcpagent.api.runtime.BoundService}, the service an
 * optional, dynamic, greedy DS reference has bound now, kept when the unbind of the service it replaced comes after
 * it, and {@link io.mcpagent.api.runtime.BundleServices#notInstalled}, what REST, the shell and the console say of a
 * service whose bundle a runtime was built without (1.19); {@link io.mcpagent.api.runtime.FactoryConfigurations}, the
 * factory configurations Configuration Admin holds, made by a file or in the Web Console, each with the id of the
 * instance it makes, for what waits for or names configured plugins, and
 * {@link io.mcpagent.api.runtime.BundleServices#notInstalled(org.osgi.framework.BundleContext, String, String, String)}
 * with {@code BundleServices.FEATURES_PROPERTY}, which tells a feature the runtime was built without from one whose
 * jar went missing (1.20), and says of a feature the start left out as it needs one whose jar is missing which one
 * and which jar (1.21); also 1.21: {@code HttpServiceSettings.REAPPLIED}, the marker the platform adds to the HTTP
 * service's configuration when it applies it again to start Jetty, which the config bundle does not take for a change
 * made through Configuration Admin; {@code ConfigurationOrigins.READ_BY_NO_BUNDLE}, how the problem of a file for a PID
 * no installed bundle reads says so (1.22); {@link io.mcpagent.api.runtime.UnresolvedRequirements#providers}, what
 * satisfies a requirement, the resolved host of a fragment included (1.23); {@code UnresolvedRequirements.describe}
 * names a requirement as a reader does, {@code package com.example.missing [1.0.0,2.0.0)} (1.23.1);
 * {@code ConfigurationRefusals.fileRefusal}, why the file of a PID in etc/ is not applied now, and the words and source
 * of that problem, {@code NOT_APPLIED} and {@code FILE_SOURCE} (1.24).
 */
@Version("1.24.1")
@Export
package io.mcpagent.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
