package io.mcpagent.api.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Where a configuration comes from, for messages about it (1.18): its file in {@code etc/}, or Configuration Admin
 * itself when no file made it (the Felix Web Console, or another client), so that a refusal does not send the operator
 * to a file that does not exist.
 */
public final class ConfigurationOrigins {
    /** The property FileInstall (and the config bundle for {@code .cfg.json} files) sets to the file's URI. */
    public static final String FILE_PROPERTY = "felix.fileinstall.filename";
    /** What a configuration no file made is said to come from. */
    public static final String NO_FILE = "set through Configuration Admin, such as in the Web Console, not by a file in"
            + " etc/";
    /**
     * Where the problem the config bundle reports of a file in {@code etc/} for a PID that no installed bundle reads
     * (a misspelt factory PID) says so (1.22): Configuration Admin holds such a file's configuration, yet nothing makes
     * a plugin of it, so what waits for its plugin waits in vain.
     */
    public static final String READ_BY_NO_BUNDLE = "no installed bundle reads the ";

    private ConfigurationOrigins() {
    }

    /**
     * The origin of configuration {@code pid}: {@code etc/<file>} for one made from a file, {@link #NO_FILE} for one
     * without it, and the file it would have, {@code etc/<pid>.cfg.json}, when that cannot be told (no such
     * configuration, no ConfigAdmin, or no framework: {@code context} null).
     */
    public static String describe(BundleContext context, String pid) {
        String expected = "etc/" + pid + ".cfg.json";
        return askConfigurationAdmin(context, admin -> {
            Configuration[] found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + escaped(pid) + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return expected;
            }
            Object file = found[0].getProperties().get(FILE_PROPERTY);
            return file == null ? NO_FILE : "etc/" + fileName(file.toString());
        }).orElse(expected);
    }

    /** A question to Configuration Admin, which may find its store unreadable. */
    interface AdminQuestion<T> {
        T ask(ConfigurationAdmin admin) throws IOException, InvalidSyntaxException;
    }

    /**
     * The answer of ConfigAdmin, got through {@code context} and given back after; empty when there is no ConfigAdmin
     * or no framework ({@code context} null), the asking bundle stops, or the store cannot be read.
     */
    static <T> Optional<T> askConfigurationAdmin(BundleContext context, AdminQuestion<T> question) {
        if (context == null) {
            return Optional.empty();
        }
        ServiceReference<ConfigurationAdmin> reference;
        ConfigurationAdmin admin;
        try {
            reference = context.getServiceReference(ConfigurationAdmin.class);
            admin = reference == null ? null : context.getService(reference);
        } catch (IllegalStateException stopping) { // the asking bundle stops: its context is no longer valid
            return Optional.empty();
        }
        if (admin == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(question.ask(admin));
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            return Optional.empty(); // ConfigAdmin's store cannot be read, or a configuration was deleted meanwhile
        } finally {
            context.ungetService(reference);
        }
    }

    /** The name of the file a URI names; the value as it is when it is no URI of a file. */
    private static String fileName(String uri) {
        try {
            Path name = Path.of(URI.create(uri)).getFileName();
            return name == null ? uri : name.toString();
        } catch (IllegalArgumentException | FileSystemNotFoundException notAFile) {
            return uri;
        }
    }

    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
