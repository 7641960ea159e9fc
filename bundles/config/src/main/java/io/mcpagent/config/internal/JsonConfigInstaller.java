package io.mcpagent.config.internal;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Array;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.ConfigurationRefusalListener;
import io.mcpagent.api.runtime.ConfigurationRefusals;
import io.mcpagent.api.runtime.HttpServiceSettings;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * Applies {@code etc/*.cfg.json} files to ConfigAdmin for FileInstall, which only knows {@code .cfg} and
 * {@code .config}. A file that cannot be applied leaves the configuration as it was and is reported, by file
 * name, as a {@link Problem} until a later version of it applies; it is never thrown to FileInstall, which
 * would retry it endlessly. A file whose PID has a metatype declared by a bundle is checked against it first
 * ({@link MetatypeCheck}); Felix Jetty's, whose metatype is incomplete, has its port and host checked
 * ({@link HttpEndpointCheck}). A file refused for what it holds (not JSON, a property its metatype or the HTTP check
 * refuses) is told to the {@link ConfigurationRefusalListener}s under the PID its name gives, as a configuration its
 * component refuses is (the audit log's {@code config.refused}); one that registers later, as the audit log does at a
 * start of the runtime, is told by {@link EarlyConfigurationEvents}. A file's configuration changed or deleted through
 * Configuration Admin by another client (the Web Console) is logged at WARN as that happens, since the file undoes it
 * when it is applied again; that application names the properties whose values it replaces, also at WARN.
 */
@Component(service = {ArtifactInstaller.class, ProblemReporter.class, ConfigurationListener.class})
public final class JsonConfigInstaller implements ArtifactInstaller, ProblemReporter, ConfigurationListener {
    static final String SOURCE = ConfigurationRefusals.FILE_SOURCE;
    static final String FILENAME = ConfigurationOrigins.FILE_PROPERTY;
    /**
     * Set in each configuration a file is applied to: a digest of the properties applied, so that a change made through
     * Configuration Admin since (which leaves it as it was, or drops it) shows at the next start, where the
     * configuration differing from its file could otherwise be an edit of the file as well.
     */
    static final String FINGERPRINT = "mcpagent.config.fingerprint";
    /**
     * Properties no file sets and no one edits: ConfigAdmin's, ours, and the marker the HTTP service's configuration
     * gets when the platform applies it again to start Jetty (not a change made through Configuration Admin).
     */
    private static final Set<String> MANAGED = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION, FILENAME, FINGERPRINT, HttpServiceSettings.REAPPLIED);
    private static final String ELSEWHERE = "through Configuration Admin (such as in the Web Console)";
    private static final Logger LOG = LoggerFactory.getLogger(JsonConfigInstaller.class);
    /**
     * Properties a bundle writes into its own configuration, by PID, when the file leaves them out, with the value it
     * writes when its configuration has none: Felix's Web Console stores the hash of its default password. Compared,
     * the file would differ from its configuration at every start and be applied again, taking the hash out, which the
     * console then wrote back: two updates of its configuration, each restarting the console and recorded in the audit
     * log, at every start.
     */
    private static final Map<String, Map<String, Object>> WRITTEN_BACK = Map.of(
            ConsolePasswordCheck.PID, Map.of(ConsolePasswordCheck.PASSWORD, ConsolePasswordCheck.DEFAULT_HASH));

    /**
     * Set in a configuration applied without a property its file sets (the Web Console's plain-text password), naming
     * it: so that the configuration differs from the one applied before the property was left out, and the refusal
     * is told when that happens, not again at every start.
     */
    static final String LEFT_OUT = "mcpagent.config.leftOut";

    /** Where bundles declare their metatype (bnd writes @ObjectClassDefinition/@Designate there). */
    private static final String METATYPE_FOLDER = "OSGI-INF/metatype/";
    /** The PIDs of the platform's own bundles, each of which declares a metatype for every PID it reads. */
    private static final String OWN_PIDS = "io.mcpagent.";

    private final ConfigurationAdmin configurationAdmin;
    private final BundleContext context;
    private final AtomicReference<MetaTypeService> metaTypeService = new AtomicReference<>();
    private final Map<String, Problem> problems = new ConcurrentHashMap<>();
    /** The file of each configuration a file in etc/ made, by PID: also when another client dropped its file's URI. */
    private final Map<String, File> filesByPid = new ConcurrentHashMap<>();
    /** The files reported as read by no installed bundle, by name, to apply again when a bundle that does comes. */
    private final Map<String, UnreadFile> unreadFiles = new ConcurrentHashMap<>();
    private final BundleListener bundleListener = this::bundleChanged;

    @Activate
    public JsonConfigInstaller(@Reference ConfigurationAdmin configurationAdmin, BundleContext context) {
        this.configurationAdmin = configurationAdmin;
        this.context = context;
        removeConfigurationsOfVanishedFiles();
        context.addBundleListener(bundleListener);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(bundleListener);
    }

    /** A file applied for a PID of ours that no installed bundle reads ({@link #unread}). */
    private record UnreadFile(File artifact, String metatypePid, boolean factory, String name) {
    }

    /**
     * A bundle installed, updated or resolved after a file for a PID of ours was applied (one dropped into deploy/
     * later, such as the example provider) may read that PID: the file is then applied again, so that it is checked
     * against the bundle's metatype and no longer reported as having no effect. It was reported so for good before.
     * A file still read by none is left as it is, not reported again at every bundle the framework starts.
     */
    private void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.UPDATED
                || event.getType() == BundleEvent.RESOLVED) {
            for (UnreadFile file : List.copyOf(unreadFiles.values())) {
                if (unread(file.metatypePid(), file.factory(), file.name()) == null) {
                    apply(file.artifact());
                }
            }
        }
    }

    /**
     * FileInstall reports only the deletions it sees: a file deleted while the runtime was stopped would leave its
     * configuration (kept by ConfigAdmin in data/) in force for good. So each configuration made from a file we handle
     * whose file is gone is deleted when we start, as if the deletion had been seen.
     */
    private void removeConfigurationsOfVanishedFiles() {
        Configuration[] fromFiles;
        try {
            fromFiles = configurationAdmin.listConfigurations("(" + FILENAME + "=*)");
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("cannot list the configurations made from etc/ files, so those of files deleted while the runtime"
                    + " was stopped stay in force: {}", e.toString());
            return;
        }
        Set<File> vanished = new LinkedHashSet<>();
        for (Configuration configuration : fromFiles == null ? new Configuration[0] : fromFiles) {
            Dictionary<String, Object> properties = configuration.getProperties();
            Object fileName = properties == null ? null : properties.get(FILENAME);
            try {
                File file = new File(URI.create(String.valueOf(fileName)));
                if (canHandle(file) && !file.exists()) {
                    vanished.add(file);
                }
            } catch (IllegalArgumentException notAFileUri) {
                LOG.warn("configuration {} names no file in {} ({}), so it is left as it is", configuration.getPid(),
                        FILENAME, fileName);
            }
        }
        for (File file : vanished) {
            LOG.info("{}: deleted while the runtime was stopped", file.getName());
            uninstall(file);
        }
    }

    /** Without the MetaType service, files are applied unchecked, as they are for PIDs without a metatype. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetMetaTypeService")
    void setMetaTypeService(MetaTypeService service) {
        metaTypeService.set(service);
    }

    void unsetMetaTypeService(MetaTypeService service) {
        metaTypeService.compareAndSet(service, null);
    }

    @Override
    public boolean canHandle(File artifact) {
        return JsonConfigFile.handles(artifact);
    }

    @Override
    public void install(File artifact) {
        apply(artifact);
    }

    @Override
    public void update(File artifact) {
        apply(artifact);
    }

    @Override
    public synchronized void uninstall(File artifact) {
        String file = artifact.getName();
        problems.remove(file);
        unreadFiles.remove(file);
        filesByPid.values().remove(artifact); // its configuration's deletion below is no change through another client
        try {
            for (Configuration configuration : madeFrom(artifact)) {
                // A deleted Configuration answers nothing, not even its PID.
                String pid = configuration.getPid();
                configuration.delete();
                if (HttpEndpointCheck.PID.equals(pid)) {
                    // Jetty stops without its configuration; this is not a routine change
                    LOG.warn("{}: deleted, configuration {} removed: the HTTP service stops, and with it the REST API"
                            + " and the web console, until the file is back", file, pid);
                } else {
                    LOG.info("{}: deleted, configuration {} removed", file, pid);
                }
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            report(file, "etc/" + file + " was deleted, but its configuration could not be removed and stays in force: "
                    + e);
        }
    }

    @Override
    public List<Problem> problems() {
        return List.copyOf(problems.values());
    }

    /** Synchronized: FileInstall's thread and the framework's, for a bundle that came ({@link #bundleChanged}). */
    private synchronized void apply(File artifact) {
        String file = artifact.getName();
        unreadFiles.remove(file);
        try {
            JsonConfigFile config = JsonConfigFile.read(artifact);
            String metatypePid = config.factoryPid() == null ? config.pid() : config.factoryPid();
            Map<String, String> retired = RetiredProperties.of(metatypePid, context.getBundles());
            warnOfRetired(file, retired, config.properties());
            ObjectClassDefinition definition = declaredMetatype(metatypePid, config.factoryPid() != null);
            if (definition != null) {
                MetatypeCheck.check(metatypePid, definition, retired.keySet(), config.properties());
            }
            String unread = definition == null ? unread(metatypePid, config.factoryPid() != null, config.name()) : null;
            if (unread != null) {
                unreadFiles.put(file, new UnreadFile(artifact, metatypePid, config.factoryPid() != null,
                        config.name()));
            }
            if (HttpEndpointCheck.PID.equals(config.pid())) {
                HttpEndpointCheck.check(config.properties(), context::getProperty)
                        .forEach(warning -> LOG.warn("etc/{}: {}", file, warning));
            }
            Dictionary<String, Object> properties = config.properties();
            String leftOut = leaveOutPlainTextPassword(config);
            Configuration target = config.factoryPid() == null
                    ? configurationAdmin.getConfiguration(config.pid(), "?")
                    : configurationAdmin.getFactoryConfiguration(config.factoryPid(), config.name(), "?");
            String pid = target.getPid();
            filesByPid.put(pid, artifact);
            Dictionary<String, Object> current = target.getProperties();
            boolean applied = !sameProperties(pid, current, properties);
            if (applied) {
                String uri = artifact.toURI().toString();
                Set<String> replaced = changedElsewhere(current, uri) ? replaced(pid, definition, current, properties)
                        : Set.of();
                keepWrittenBack(pid, current, properties);
                properties.put(FILENAME, uri);
                properties.put(FINGERPRINT, fingerprint(properties));
                target.update(properties);
                if (replaced.isEmpty()) {
                    LOG.info("{}: applied to configuration {}", file, pid);
                } else {
                    LOG.warn("etc/{}: applied to configuration {}, which holds values set {}, not by this file: the"
                            + " file's values replace those of its properties {}; to keep a change made there, make it"
                            + " in the file", file, pid, ELSEWHERE, quoted(replaced));
                }
            } else {
                LOG.debug("{}: unchanged", file);
            }
            if (leftOut != null) {
                String message = "etc/" + file + " is applied without its " + leftOut;
                report(file, message);
                if (applied) {
                    // told once, as it is applied: the configuration then carries LEFT_OUT, unchanged at later starts
                    ConfigurationRefusals.tell(context, fileNamePid(file), message, LOG::error);
                }
            } else if (unread != null) {
                report(file, "etc/" + file + " is applied, but " + unread);
            } else if (problems.remove(file) != null) {
                LOG.info("{}: the problem is fixed", file);
            }
        } catch (JsonConfigFile.Invalid e) {
            String message = notApplied(artifact) + e.getMessage();
            report(file, message);
            // ConfigAdmin never hears of it, so no config.updated either: the audit log learns of it here only
            ConfigurationRefusals.tell(context, fileNamePid(file), message, LOG::error);
        } catch (IOException | RuntimeException e) {
            report(file, notApplied(artifact) + e);
        }
    }

    /**
     * Takes a plain-text password out of the Web Console's properties ({@link ConsolePasswordCheck}), marking them with
     * {@link #LEFT_OUT}, as they are applied.
     *
     * @return the property left out and why, or null
     */
    private static String leaveOutPlainTextPassword(JsonConfigFile config) {
        Dictionary<String, Object> properties = config.properties();
        String leftOut = ConsolePasswordCheck.PID.equals(config.pid())
                ? ConsolePasswordCheck.leaveOutPlainText(properties) : null;
        if (leftOut != null) {
            properties.put(LEFT_OUT, ConsolePasswordCheck.PASSWORD);
        }
        return leftOut;
    }

    /**
     * Warns when another client changes or deletes a configuration a file made: the file undoes it when it is applied
     * again (at the next start, or when it is saved), so the change would otherwise be lost with no more than the INFO
     * line of that application. Its own updates carry the fingerprint of what they applied; a change that leaves every
     * value the file sets as it is (the Web Console writing its password hash back) loses nothing and is not told.
     */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        File file = filesByPid.get(pid);
        if (file == null) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            LOG.warn("configuration {} was deleted {}, but etc/{} made it: that file makes it again at the next start,"
                    + " or when it is saved; delete the file to remove the configuration for good", pid, ELSEWHERE,
                    file.getName());
            return;
        }
        if (event.getType() != ConfigurationEvent.CM_UPDATED) {
            return;
        }
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(" + Constants.SERVICE_PID + "="
                    + escape(pid) + ")");
            Dictionary<String, Object> current = found == null || found.length == 0 ? null : found[0].getProperties();
            if (current == null || fingerprint(current).equals(current.get(FINGERPRINT))) {
                return;
            }
            JsonConfigFile config = JsonConfigFile.read(file);
            leaveOutPlainTextPassword(config);
            ObjectClassDefinition definition = config.factoryPid() == null ? declaredMetatype(config.pid(), false)
                    : declaredMetatype(config.factoryPid(), true);
            Set<String> replaced = replaced(pid, definition, current, config.properties());
            if (!replaced.isEmpty()) {
                LOG.warn("configuration {} was changed {}, but etc/{} made it: that file is applied again at the next"
                        + " start, or when it is saved, and replaces the values of its properties {}; edit the file to"
                        + " keep the change", pid, ELSEWHERE, file.getName(), quoted(replaced));
            }
        } catch (JsonConfigFile.Invalid | IOException | InvalidSyntaxException | IllegalStateException e) {
            // a file that cannot be applied as it is replaces nothing (apply reports it); nor does a deleted one
            LOG.debug("configuration {}: not compared with etc/{}: {}", pid, file.getName(), e.toString());
        }
    }

    /**
     * Whether the configuration holds what another client set: it exists and names no file, or another one (made
     * before its file was, or replaced whole), or its properties are no longer those the file applied. One whose
     * fingerprint is missing while it names this file was applied before fingerprints were kept: not known.
     */
    private static boolean changedElsewhere(Dictionary<String, Object> current, String uri) {
        if (current == null) {
            return false;
        }
        Object applied = current.get(FINGERPRINT);
        return !uri.equals(current.get(FILENAME)) || applied != null && !applied.equals(fingerprint(current));
    }

    /**
     * A digest of the properties (those ConfigAdmin and we manage aside), each name with its value and the value's
     * type, sorted, each part prefixed with its length, so that no two different sets of properties read alike.
     */
    private static String fingerprint(Dictionary<String, Object> properties) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(userProperties(properties)).forEach((key, value) -> text.append(lengthPrefixed(key))
                .append(canonical(value)));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256, which every Java runtime has, is missing", e);
        }
    }

    private static String canonical(Object value) {
        if (value != null && value.getClass().isArray()) {
            StringJoiner elements = new StringJoiner("", value.getClass().getComponentType().getName() + "["
                    + Array.getLength(value) + "]", "");
            for (int i = 0; i < Array.getLength(value); i++) {
                elements.add(canonical(Array.get(value, i)));
            }
            return elements.toString();
        }
        if (value instanceof Collection<?> collection) {
            return "Collection" + canonical(collection.toArray());
        }
        return value == null ? "null" : value.getClass().getName() + lengthPrefixed(value.toString());
    }

    private static String lengthPrefixed(String text) {
        return text.length() + ":" + text;
    }

    /**
     * The properties whose values the file replaces ({@link #differences}), but for those that differ in their type
     * only (the Web Console stores a number as its metatype's type, an Integer where the file gives a Long) and those
     * the file leaves out that hold their metatype default (the console sets every property of its form): applying the
     * file changes neither's value.
     */
    private static Set<String> replaced(String pid, ObjectClassDefinition definition,
            Dictionary<String, Object> current, Dictionary<String, Object> wanted) {
        Set<String> replaced = differences(pid, current, wanted);
        replaced.removeIf(key -> current.get(key) != null && wanted.get(key) != null
                && texts(current.get(key)).equals(texts(wanted.get(key))));
        AttributeDefinition[] attributes = definition == null ? null
                : definition.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition attribute : attributes == null ? new AttributeDefinition[0] : attributes) {
            String key = attribute.getID();
            if (wanted.get(key) == null && current.get(key) != null
                    && texts(current.get(key)).equals(texts(attribute.getDefaultValue()))) {
                replaced.remove(key);
            }
        }
        return replaced;
    }

    /** A value's elements as text, blank ones left out, as a metatype default is written (none, or {@code ""}). */
    private static List<String> texts(Object value) {
        Object[] elements = value == null ? new Object[0]
                : value instanceof Collection<?> collection ? collection.toArray()
                : value.getClass().isArray() ? IntStream.range(0, Array.getLength(value)).mapToObj(
                        i -> Array.get(value, i)).toArray()
                : new Object[] {value};
        return Arrays.stream(elements).map(String::valueOf).filter(text -> !text.isEmpty()).toList();
    }

    private static String quoted(Set<String> names) {
        return "'" + String.join("', '", new TreeSet<>(names)) + "'";
    }

    private static String fileNamePid(String file) {
        return file.substring(0, file.length() - JsonConfigFile.SUFFIX.length());
    }

    /**
     * The properties a bundle writes into its own configuration ({@link #WRITTEN_BACK}) that the file leaves out are
     * kept, or, where the configuration has none yet (a first start), set to what the bundle would write: the Web
     * Console's password hash, which it would otherwise write itself, updating its configuration a second time (and the
     * audit log recording two changes of it), and which is the password the operator gave it before (a plain-text one
     * in its file is left out).
     */
    private static void keepWrittenBack(String pid, Dictionary<String, Object> current,
            Dictionary<String, Object> wanted) {
        WRITTEN_BACK.getOrDefault(pid, Map.of()).forEach((key, written) -> {
            if (wanted.get(key) == null) {
                Object kept = current == null ? null : current.get(key);
                wanted.put(key, kept != null ? kept : written);
            }
        });
    }

    /**
     * The start of the message for a file that is not applied, saying what is in force instead: its last applied
     * version, or none when no version of it was ever applied (a new file, so its component runs on its defaults, or
     * a factory file's instance does not exist), where "the previous configuration" would send the operator looking
     * for one.
     */
    private String notApplied(File artifact) {
        String start = "etc/" + artifact.getName() + ConfigurationRefusals.NOT_APPLIED;
        try {
            return start + (madeFrom(artifact).isEmpty() ? "and no earlier version of it is in force: "
                    : "the previous configuration stays in force: ");
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            return start + "the previous configuration, if any, stays in force: ";
        }
    }

    /** Tells of each property the file sets that its bundle no longer reads: it is applied, to no effect. */
    private static void warnOfRetired(String file, Map<String, String> retired, Dictionary<String, Object> properties) {
        for (String key : new TreeSet<>(Collections.list(properties.keys()))) {
            String why = retired.get(key);
            if (why != null) {
                LOG.warn("etc/{}: property '{}' has no effect any more: {}. Remove it from the file", file, key, why);
            }
        }
    }

    /**
     * The metatype a bundle declares for the PID (or factory PID) in {@value #METATYPE_FOLDER}, or null. Metatype
     * that a bundle provides in code (a MetaTypeProvider service, such as Felix Jetty's for org.apache.felix.http
     * or the Web Console's) is left out: those leave out properties their bundles read (Jetty's
     * org.apache.felix.https.keystore.type, for one), so checking against them would refuse working files.
     */
    private ObjectClassDefinition declaredMetatype(String pid, boolean factory) {
        MetaTypeService service = metaTypeService.get();
        if (service == null) {
            return null;
        }
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getEntryPaths(METATYPE_FOLDER) == null) {
                continue;
            }
            MetaTypeInformation information = service.getMetaTypeInformation(bundle);
            String[] pids = information == null ? null : factory ? information.getFactoryPids() : information.getPids();
            if (pids != null && Arrays.asList(pids).contains(pid)) {
                return information.getObjectClassDefinition(pid, null);
            }
        }
        return null;
    }

    /**
     * Why a file for a PID of ours has no effect: no installed bundle declares that PID (or factory PID), so nothing
     * reads it, as with a misnamed file ({@code io.mcpagent.mcp.server-memory.cfg.json} for
     * {@code io.mcpagent.mcp.server~memory.cfg.json}), which ConfigAdmin takes without a word. Null when a bundle
     * declares it, for other PIDs, and while the platform's metatype cannot be read.
     */
    private String unread(String pid, boolean factory, String name) {
        MetaTypeService service = metaTypeService.get();
        if (service == null || !pid.startsWith(OWN_PIDS)) {
            return null;
        }
        Set<String> pids = new TreeSet<>();
        Set<String> factoryPids = new TreeSet<>();
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation information = bundle.getEntryPaths(METATYPE_FOLDER) == null ? null
                    : service.getMetaTypeInformation(bundle);
            if (information != null) {
                ownOf(information.getPids(), pids);
                ownOf(information.getFactoryPids(), factoryPids);
            }
        }
        if ((pids.isEmpty() && factoryPids.isEmpty()) || (factory ? factoryPids : pids).contains(pid)) {
            return null;
        }
        String meant = null;
        for (String factoryPid : factoryPids) {
            // a factory file named with another separator than '~'
            if (!factory && pid.length() > factoryPid.length() + 1 && pid.startsWith(factoryPid)
                    && "-_.".indexOf(pid.charAt(factoryPid.length())) >= 0) {
                meant = factoryPid + "~" + pid.substring(factoryPid.length() + 1) + ".cfg.json";
            }
        }
        if (meant == null) {
            String closest = null;
            int best = Math.max(2, pid.length() / 8) + 1;
            for (String known : factory ? factoryPids : pids) {
                int distance = MetatypeCheck.distance(pid, known);
                if (distance < best) {
                    best = distance;
                    closest = known;
                }
            }
            meant = closest == null ? null : closest + (factory ? "~" + name : "") + ".cfg.json";
        }
        return ConfigurationOrigins.READ_BY_NO_BUNDLE + (factory ? "factory PID " : "PID ") + pid
                + ", so it has no effect"
                + (meant != null ? ": did you mean " + meant + "? (a factory configuration is named"
                + " <factory PID>~<name>.cfg.json)" : " (its bundle is not installed, or the file name is misspelt)");
    }

    private static void ownOf(String[] declared, Set<String> into) {
        for (String pid : declared == null ? new String[0] : declared) {
            if (pid.startsWith(OWN_PIDS)) {
                into.add(pid);
            }
        }
    }

    private void report(String file, String message) {
        problems.put(file, new Problem(SOURCE, file, message, Instant.now()));
        LOG.error(message);
    }

    private List<Configuration> madeFrom(File artifact) throws IOException, InvalidSyntaxException {
        String filter = "(" + FILENAME + "=" + escape(artifact.toURI().toString()) + ")";
        Configuration[] found = configurationAdmin.listConfigurations(filter);
        return found == null ? List.of() : Arrays.asList(found);
    }

    /** Whether ConfigAdmin already holds these values ({@link #differences}: none). */
    static boolean sameProperties(String pid, Dictionary<String, Object> current, Dictionary<String, Object> wanted) {
        return current != null && differences(pid, current, wanted).isEmpty();
    }

    /**
     * The properties whose values (or presence) differ, ignoring the properties ConfigAdmin and we manage, and those a
     * bundle writes into its own configuration when the file leaves them out ({@link #WRITTEN_BACK}).
     */
    private static Set<String> differences(String pid, Dictionary<String, Object> current,
            Dictionary<String, Object> wanted) {
        Map<String, Object> a = userProperties(current);
        Map<String, Object> b = userProperties(wanted);
        WRITTEN_BACK.getOrDefault(pid, Map.of()).keySet().stream().filter(key -> !b.containsKey(key))
                .forEach(a::remove);
        Set<String> differing = new HashSet<>(a.keySet());
        differing.addAll(b.keySet());
        differing.removeIf(key -> Objects.deepEquals(a.get(key), b.get(key)));
        return differing;
    }

    private static Map<String, Object> userProperties(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (!MANAGED.contains(key)) {
                map.put(key, properties.get(key));
            }
        }
        return map;
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
