package io.mcpagent.config.internal;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.osgi.framework.Bundle;

/**
 * The properties of a PID that its bundle no longer reads, each with why it has no effect any more, as the bundle
 * declares them in {@value #FOLDER}{@code <pid>.properties} ({@code property = why}, UTF-8). A file that still sets
 * one is warned of rather than refused as having an unknown property: it was right once, and what it says is
 * simply not used any more.
 */
final class RetiredProperties {
    static final String FOLDER = "OSGI-INF/retired-properties/";

    private RetiredProperties() {
    }

    /**
     * The retired properties of the PID (or factory PID) by name, with why each has no effect any more; empty when no
     * bundle declares any.
     *
     * @throws IOException when a bundle's declaration cannot be read
     */
    static Map<String, String> of(String pid, Bundle[] bundles) throws IOException {
        Map<String, String> retired = new TreeMap<>();
        for (Bundle bundle : bundles) {
            URL declaration = bundle.getEntry(FOLDER + pid + ".properties");
            if (declaration == null) {
                continue;
            }
            Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(declaration.openStream(), StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IOException("cannot read " + FOLDER + pid + ".properties of bundle "
                        + bundle.getSymbolicName() + ": " + e.getMessage(), e);
            }
            properties.stringPropertyNames().forEach(name -> retired.put(name, properties.getProperty(name).strip()));
        }
        return retired;
    }
}
