package io.mcpagent.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;
import io.mcpagent.api.plugin.PluginHealth;
import io.mcpagent.api.plugin.PluginInfo;
import io.mcpagent.api.plugin.PluginManager;
import io.mcpagent.api.runtime.DeployFolder;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;
import io.mcpagent.api.security.Role;
import io.mcpagent.api.security.SecretMasker;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

/**
 * "Plugins": every plugin on the whiteboard (kind, id, version, bundle, health), the problems the platform reports
 * (as {@code plugin:problems} and {@code GET /api/v1/status} list them: a jar of deploy/ that does not install, resolve
 * or start, a refused configuration, a clash of plugin ids) and the jars of {@code deploy/}.
 * Admins deploy a bundle jar by upload ({@code POST /mcp-plugins/deploy}, multipart field {@value #UPLOAD_FIELD})
 * and undeploy one by deleting its jar ({@code POST /mcp-plugins/undeploy}, field {@value #FILE_FIELD}); both are
 * audited ({@code plugin.deploy}, {@code plugin.undeploy}). FileInstall then installs or uninstalls the bundle.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + PluginsPage.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Plugins",
        ServletConstants.PLUGIN_CATEGORY + "=" + ConsolePage.CATEGORY})
public final class PluginsPage extends ConsolePage {
    static final String LABEL = "mcp-plugins";
    static final String UPLOAD_FIELD = "bundle";
    static final String FILE_FIELD = "file";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PluginsPage.class);

    private final transient BundleContext context;
    /** Null when the framework property {@value DeployFolder#PROPERTY} is not set: then the page cannot deploy. */
    private final transient Path deployPath;
    /** The upload limit, read at each request so that a changed configuration applies to the next upload. */
    private final transient ConsoleConfiguration configuration;
    private final transient OptionalService<PluginManager> plugins =
            new OptionalService<>("io.mcpagent.core");
    private final transient Audit audit = new Audit(Clock.systemUTC());
    /** Masks configured secrets too (core's masker); absent, health messages are masked by pattern alone. */
    private final transient ConsoleMasker masker;
    /** The platform's problem reporters, by service id: in the order they registered, as plugin:problems lists them. */
    private final transient Map<Long, ProblemReporter> reporters = new ConcurrentSkipListMap<>();

    @Activate
    public PluginsPage(BundleContext context, @Reference ConsoleConfiguration configuration,
                       @Reference ConsoleMasker masker) {
        this.context = context;
        this.configuration = configuration;
        this.masker = masker;
        this.deployPath = DeployFolder.of(context).orElse(null);
        if (deployPath == null) {
            LOG.warn("framework property {} is not set: the console's Plugins page cannot deploy or undeploy",
                    DeployFolder.PROPERTY);
        }
    }

    /** The deploy folder with the upload limit in force; null when {@link #deployPath} is. */
    private DeployFolderJars deployFolder() {
        return deployPath == null ? null
                : new DeployFolderJars(deployPath, configuration.settings().maxUploadBytes(), this::installedFrom);
    }

    private Optional<String> installedFrom(String symbolicName, Version version) {
        return Arrays.stream(context.getBundles())
                .filter(bundle -> symbolicName.equals(bundle.getSymbolicName()) && version.equals(bundle.getVersion()))
                .map(Bundle::getLocation).findFirst();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPlugins")
    void bindPlugins(PluginManager service) {
        plugins.bind(service);
    }

    void unbindPlugins(PluginManager service) {
        plugins.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindReporter")
    void bindReporter(ProblemReporter reporter, Map<String, Object> properties) {
        reporters.put((Long) properties.get(Constants.SERVICE_ID), reporter);
    }

    /** Without the service, which DS would ask for again (the history's may be gone): by its service id only. */
    void unbindReporter(Map<String, Object> properties) {
        reporters.remove((Long) properties.get(Constants.SERVICE_ID));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAuditLog")
    void bindAuditLog(AuditLog service, Map<String, Object> properties) {
        audit.bind(service, properties);
    }

    /** Without the log, which DS would ask for again: see {@link Audit#unbind(Map)}. */
    void unbindAuditLog(Map<String, Object> properties) {
        audit.unbind(properties);
    }

    @Override
    String label() {
        return LABEL;
    }

    @Override
    Optional<Audit> audit() {
        return Optional.of(audit);
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<ConsoleUser> user = user(request);
        if (user.isEmpty()) {
            return;
        }
        PrintWriter out = header(request, response, user.get());
        out.println("<h2>Plugins</h2>");
        DeployFolderJars folder = deployFolder();
        plugins.orSayMissing(out, "The plugin whiteboard").ifPresent(manager -> renderPlugins(out, manager, folder));
        renderProblems(out);
        renderDeployFolder(request, out, user.get(), folder);
    }

    private void renderPlugins(PrintWriter out, PluginManager manager, DeployFolderJars folder) {
        List<PluginInfo> all = manager.list();
        out.println("<table class=\"mcpa-table\" id=\"mcpa-plugins\"><thead><tr><th>Kind</th><th>Id</th><th>Name</th>"
                + "<th>Version</th><th>Bundle</th><th>Health</th></tr></thead><tbody>");
        for (PluginInfo plugin : all) {
            PluginHealth health = manager.health(plugin.id())
                    .orElse(PluginHealth.unknown("the plugin went away a moment ago"));
            out.println("<tr data-plugin=\"" + Html.text(plugin.id()) + "\"><td>" + Html.text(plugin.kind().id())
                    + "</td><td class=\"mcpa-id\">" + Html.text(plugin.id()) + "</td><td>" + Html.text(plugin.name())
                    + "</td><td>" + Html.text(plugin.version()) + "</td><td>" + Html.text(plugin.bundleSymbolicName())
                    + " " + Html.text(plugin.bundleVersion()) + deployedFrom(plugin, folder) + "</td><td>"
                    + healthBadge(health, masker.current()) + "</td></tr>");
        }
        out.println("</tbody></table>");
        out.println("<p>" + all.size() + " plugins.</p>");
    }

    /**
     * What plugin:problems lists, masked as health messages are (a problem may quote a configuration or a server's
     * answer): an admin who deploys here sees why a jar does not install, resolve or start, which the deploy/ table
     * alone did not show. A reporter that fails is named, the others are listed all the same.
     */
    private void renderProblems(PrintWriter out) {
        out.println("<h2>Problems</h2>");
        StringBuilder rows = new StringBuilder();
        int count = 0;
        for (ProblemReporter reporter : reporters.values()) {
            List<Problem> problems;
            try {
                problems = reporter.problems();
            } catch (RuntimeException e) {
                LOG.warn("a problem reporter failed ({}); the Plugins page lists the others", reporter.getClass(), e);
                rows.append("<tr><td>(").append(Html.text(reporter.getClass().getSimpleName())).append(")</td><td></td>"
                        + "<td>its problems cannot be listed: ").append(Html.text(masker.current().mask(e.toString())))
                        .append("</td><td></td></tr>\n");
                continue;
            }
            for (Problem problem : problems) {
                count++;
                rows.append("<tr><td>").append(Html.text(problem.source())).append("</td><td class=\"mcpa-id\">")
                        .append(Html.text(problem.subject())).append("</td><td>")
                        .append(Html.text(masker.current().mask(problem.message()))).append("</td><td>")
                        .append(Html.text(problem.since())).append("</td></tr>\n");
            }
        }
        if (rows.isEmpty()) {
            out.println("<p id=\"mcpa-problems\">No problems.</p>");
            return;
        }
        out.println("<table class=\"mcpa-table\" id=\"mcpa-problems\"><thead><tr><th>Source</th><th>Subject</th>"
                + "<th>Problem</th><th>Since</th></tr></thead><tbody>");
        out.print(rows);
        out.println("</tbody></table>");
        out.println("<p>" + count + (count == 1 ? " problem" : " problems") + ", as plugin:problems lists them.</p>");
    }

    private String deployedFrom(PluginInfo plugin, DeployFolderJars folder) {
        Bundle bundle = context.getBundle(plugin.bundleId());
        if (folder == null || bundle == null) {
            return "";
        }
        return folder.fileOf(bundle.getLocation())
                .map(file -> " <span class=\"mcpa-deployed\">(deploy/" + Html.text(file) + ")</span>").orElse("");
    }

    /**
     * The health's status and message, masked: a provider's or an MCP server's message may quote its failure, such as
     * an error answer echoing the request's credential headers (the REST API masks it alike).
     */
    static String healthBadge(PluginHealth health, SecretMasker masker) {
        return "<span class=\"mcpa-health mcpa-" + Html.text(health.status().name().toLowerCase(Locale.ROOT))
                + "\">" + Html.text(health.status()) + "</span>"
                + (health.message().isEmpty() ? "" : " " + Html.text(masker.mask(health.message())));
    }

    private void renderDeployFolder(HttpServletRequest request, PrintWriter out, ConsoleUser user,
                                    DeployFolderJars folder) throws IOException {
        out.println("<h2>deploy/</h2>");
        if (folder == null) {
            out.println("<p>The deploy folder is unknown: the framework property " + DeployFolder.PROPERTY
                    + " is not set (bin/mcp-agent sets it).</p>");
            return;
        }
        boolean admin = user.has(Role.ADMIN);
        String page = pageUrl(request);
        List<DeployFolderJars.DeployedJar> jars = folder.list();
        out.println("<table class=\"mcpa-table\" id=\"mcpa-deployed\"><thead><tr><th>File</th><th>Bundle</th>"
                + "<th>Version</th><th>Size</th><th>Modified</th>" + (admin ? "<th></th>" : "")
                + "</tr></thead><tbody>");
        for (DeployFolderJars.DeployedJar jar : jars) {
            out.println("<tr data-file=\"" + Html.text(jar.fileName()) + "\"><td>" + Html.text(jar.fileName())
                    + "</td><td>" + Html.text(jar.symbolicName() == null ? "(not a bundle)" : jar.symbolicName())
                    + "</td><td>" + Html.text(jar.version()) + "</td><td>" + jar.size() + "</td><td>"
                    + Html.text(jar.modified()) + "</td>" + (admin ? "<td><form method=\"post\" action=\""
                    + Html.text(page + "/undeploy") + "\">" + csrfField(user) + "<input type=\"hidden\" name=\""
                    + FILE_FIELD + "\" value=\"" + Html.text(jar.fileName()) + "\"><button type=\"submit\""
                    + " class=\"mcpa-undeploy\">Undeploy</button></form></td>" : "") + "</tr>");
        }
        out.println("</tbody></table>");
        if (admin) {
            out.println("<form method=\"post\" enctype=\"multipart/form-data\" id=\"mcpa-deploy\" action=\""
                    + Html.text(page + "/deploy") + "\">" + csrfField(user) + "<label>Bundle jar (at most "
                    + folder.maxBytes() / (1024 * 1024) + " MiB) <input type=\"file\" name=\"" + UPLOAD_FIELD
                    + "\" accept=\".jar\" required></label> <button type=\"submit\">Deploy</button></form>");
        } else {
            out.println("<p>Admins deploy and undeploy bundles here.</p>");
        }
    }

    @Override
    void act(HttpServletRequest request, HttpServletResponse response, ConsoleUser user, String action)
            throws IOException, ServletException {
        switch (action) {
            case "/deploy" -> deploy(request, response, user);
            case "/undeploy" -> undeploy(request, response, user);
            default -> refuse(response, 404, "The Plugins page has no action '" + action
                    + "'; it has /deploy and /undeploy.");
        }
    }

    /**
     * An upload larger than the limit (a little slack for the multipart framing), or of no declared length (sent
     * chunked), is refused before its body is read: the container parses a multipart body whole, to disk, as soon as
     * a field of it is asked for, the CSRF token first, whatever its size.
     */
    @Override
    boolean refusedUnread(HttpServletRequest request, HttpServletResponse response, String action)
            throws IOException {
        DeployFolderJars folder = deployFolder();
        if (!action.equals("/deploy") || folder == null) {
            return false;
        }
        long declared = request.getContentLengthLong();
        if (declared < 0) {
            refuse(response, 411, "Send the upload with its Content-Length (a browser's form and curl -F do), not"
                    + " chunked: an upload is at most " + folder.maxBytes() + " bytes (configuration"
                    + " maxUploadMegabytes).");
            return true;
        }
        if (declared > folder.maxBytes() + 64 * 1024) {
            refuse(response, 413, "The upload is larger than the limit of " + folder.maxBytes()
                    + " bytes (configuration maxUploadMegabytes).");
            return true;
        }
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            // Jetty's "Not a multipart request" was a 500 with a stack trace at ERROR
            refuse(response, 415, "Send the bundle jar as a multipart/form-data upload in the field " + UPLOAD_FIELD
                    + " (a browser's form does; curl -F " + UPLOAD_FIELD + "=@plugin.jar), not "
                    + (type == null ? "a body without a Content-Type" : type) + ".");
            return true;
        }
        return false;
    }

    private void deploy(HttpServletRequest request, HttpServletResponse response, ConsoleUser user)
            throws IOException, ServletException {
        DeployFolderJars folder = deployFolder();
        if (refusedFor(user, Role.ADMIN, response, "Deploying a bundle", audit, "plugin.deploy", null)
                || unavailable(response, folder)) {
            return;
        }
        Part part = request.getPart(UPLOAD_FIELD);
        if (part == null || part.getSubmittedFileName() == null) {
            redirect(response, pageUrl(request), user, ERROR, "Choose a bundle jar to deploy (form field "
                    + UPLOAD_FIELD + ").");
            return;
        }
        String submitted = part.getSubmittedFileName();
        try (InputStream content = part.getInputStream()) {
            DeployFolderJars.Deployment deployment = folder.deploy(submitted, content);
            DeployFolderJars.DeployedJar jar = deployment.jar();
            String replacing = deployment.replacedVersion().map(version -> ", replacing version " + version)
                    .orElse("");
            audit.record(user.principal(), "plugin.deploy", jar.fileName(), AuditEntry.SUCCEEDED,
                    jar.symbolicName() + " " + jar.version() + replacing);
            redirect(response, pageUrl(request), user, NOTICE, "Deployed " + jar.fileName() + " (" + jar.symbolicName()
                    + " " + jar.version() + replacing + "); its plugins appear here within a second once it starts.");
        } catch (DeployFolderJars.Refused e) {
            audit.record(user.principal(), "plugin.deploy", submitted, AuditEntry.FAILED, e.getMessage());
            redirect(response, pageUrl(request), user, ERROR, "Not deployed: " + e.getMessage() + ".");
        } finally {
            part.delete();
        }
    }

    private void undeploy(HttpServletRequest request, HttpServletResponse response, ConsoleUser user)
            throws IOException {
        String file = request.getParameter(FILE_FIELD);
        DeployFolderJars folder = deployFolder();
        if (refusedFor(user, Role.ADMIN, response, "Undeploying a bundle", audit, "plugin.undeploy", file)
                || unavailable(response, folder)) {
            return;
        }
        try {
            folder.undeploy(file);
            audit.record(user.principal(), "plugin.undeploy", file, AuditEntry.SUCCEEDED, null);
            redirect(response, pageUrl(request), user, NOTICE, "Removed " + file
                    + " from deploy/; its bundle and plugins go within a second.");
        } catch (DeployFolderJars.Refused e) {
            audit.record(user.principal(), "plugin.undeploy", file, AuditEntry.FAILED, e.getMessage());
            redirect(response, pageUrl(request), user, ERROR, "Not undeployed: " + e.getMessage() + ".");
        }
    }

    private boolean unavailable(HttpServletResponse response, DeployFolderJars folder) throws IOException {
        if (folder != null) {
            return false;
        }
        refuse(response, 503, "The deploy folder is unknown: the framework property " + DeployFolder.PROPERTY
                + " is not set (bin/mcp-agent sets it).");
        return true;
    }
}
