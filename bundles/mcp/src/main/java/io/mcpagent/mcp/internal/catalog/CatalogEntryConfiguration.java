package io.mcpagent.mcp.internal.catalog;

import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpagent.api.mcp.CatalogContribution;
import io.mcpagent.api.mcp.CatalogEntry;
import io.mcpagent.api.runtime.ConfigurationOrigins;
import io.mcpagent.api.runtime.ConfigurationRefusals;
import io.mcpagent.api.runtime.GuardedConfiguration;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * One catalog entry from an operator's configuration ({@code etc/io.mcpagent.mcp.catalog.entry~<name>.cfg.json}, or
 * one saved in the Web Console), registered as a {@link CatalogContribution}. The contribution is registered by hand
 * rather than by DS so that an invalid configuration contributes nothing; its refusal, naming every field at fault and
 * where the configuration comes from ({@link ConfigurationOrigins}), is logged and is a {@link Problem} (source
 * {@code config}, subject the PID) of this component's {@link ProblemReporter}.
 */
@Component(service = ProblemReporter.class, immediate = true, configurationPid = CatalogEntryConfiguration.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CatalogEntryConfiguration.Config.class, factory = true)
public final class CatalogEntryConfiguration implements ProblemReporter {

    static final String FACTORY_PID = "io.mcpagent.mcp.catalog.entry";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogEntryConfiguration.class);

    @ObjectClassDefinition(name = "MCP-Agent MCP catalog entry",
            description = "An MCP server added to the catalog; it replaces a built-in entry with the same id.")
    public @interface Config {
        @AttributeDefinition(description = "Id, also the server's name and plugin id: [a-z0-9][a-z0-9-]{0,47}.")
        String id();

        String name() default "";

        String description() default "";

        @AttributeDefinition(description = "e.g. web, files, code, data, search, productivity, communication, cloud.")
        String category() default "other";

        @AttributeDefinition(description = "What it can do, e.g. web_fetch, file_read, code_repository, database_query.")
        String[] capabilities() default {};

        @AttributeDefinition(description = "Words and phrases a task would use when it needs this server.")
        String[] keywords() default {};

        @AttributeDefinition(description = "0..100; higher is preferred between equally good matches.")
        int priority() default 50;

        @AttributeDefinition(description = "npm package to install; needs npmVersion.")
        String npmPackage() default "";

        @AttributeDefinition(description = "Exact npm version, e.g. 1.2.3.")
        String npmVersion() default "";

        @AttributeDefinition(description = "Command that starts a server not installed from npm, e.g. uvx.")
        String command() default "";

        @AttributeDefinition(description = "Arguments after the npm package's script or the command; ${data} and ${env:NAME} are expanded.")
        String[] args() default {};

        @AttributeDefinition(description = "Environment variables the server needs (names only).")
        String[] requiredEnv() default {};

        @AttributeDefinition(description = "URL of a remote (Streamable HTTP) server.")
        String url() default "";

        String homepage() default "";
    }

    private final ServiceRegistration<CatalogContribution> registration;
    /** Why the configuration is refused; null when its entry is contributed. */
    private final Problem refusal;

    @Activate
    public CatalogEntryConfiguration(BundleContext context, Config config, Map<String, Object> properties) {
        String pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        List<String> problems = mistakes(config);
        if (!problems.isEmpty()) {
            refusal = new Problem(GuardedConfiguration.SOURCE, pid, "configuration " + pid + " ("
                    + ConfigurationOrigins.describe(context, pid) + ") is refused: " + String.join("; ", problems)
                    + "; the entry is not in the catalog until it is repaired", null);
            LOG.error("{}", refusal.message());
            ConfigurationRefusals.tell(context, pid, refusal.message(), LOG::error);
            registration = null;
            return;
        }
        refusal = null;
        CatalogEntry entry = new CatalogEntry(config.id().strip(), config.name(), config.description(),
                config.category(), list(config.capabilities()), list(config.keywords()), config.priority(),
                orNull(config.npmPackage()), orNull(config.npmVersion()), orNull(config.command()),
                list(config.args()), list(config.requiredEnv()), orNull(config.url()), orNull(config.homepage()));
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put("mcpagent.catalog.entry", entry.id());
        this.registration = context.registerService(CatalogContribution.class, () -> List.of(entry), serviceProperties);
        LOG.info("catalog entry '{}' added from configuration {}", entry.id(), pid);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }

    /** The refusal of this configuration, while it is in force; else empty. */
    @Override
    public List<Problem> problems() {
        return refusal == null ? List.of() : List.of(refusal);
    }

    /** Every mistake of the configuration at once, each naming its field. */
    private static List<String> mistakes(Config config) {
        return CatalogEntryChecks.problems(config.id() == null ? null : config.id().strip(), config.priority(),
                orNull(config.npmPackage()), orNull(config.npmVersion()), orNull(config.command()),
                orNull(config.url()), list(config.capabilities()), list(config.requiredEnv()), list(config.args()));
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.stream(values).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private static String orNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
