package io.mcpagent.config.internal;

import java.util.Dictionary;

/**
 * The Web Console's {@code password} in its file ({@value #PID}) must be the hash the console stores, never a password
 * in plain text: the console replaces a plain-text one with its salted hash in its own configuration, so the file
 * differed from its configuration at every start and was applied again, restarting the console each time; the hash
 * cannot be compared with the file's password (its algorithm is the console's own, salted). Left out of what is
 * applied, as it is a secret left readable in {@code etc/} that logs nobody in here: the console's own user is not
 * taken while the framework property {@code felix.webconsole.security.providers} requires another security provider.
 * The rest of the file is applied, so that one such property does not cost the operator the console's other settings.
 */
final class ConsolePasswordCheck {
    static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    static final String PASSWORD = "password";
    /**
     * What the console writes into its configuration as {@value #PASSWORD} when that sets none: the hash of its default
     * password, {@code admin} (its {@code OsgiManager.DEFAULT_PASSWORD}, unsalted SHA-256).
     */
    static final String DEFAULT_HASH = "{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=";

    private ConsolePasswordCheck() {
    }

    /**
     * Takes a password that is not a hash out of the properties.
     *
     * @return the property left out and why, its value never shown ("... applied without its &lt;this&gt;"); null when
     *         the properties set no such password
     */
    static String leaveOutPlainText(Dictionary<String, Object> properties) {
        Object password = properties.get(PASSWORD);
        if (password == null || password instanceof String value && hashed(value)) {
            return null;
        }
        properties.remove(PASSWORD);
        return "property '" + PASSWORD + "' (the rest of the file is in force): it is not the hash the Web Console"
                + " stores (its value is not shown): the console would replace a password in plain text with its hash,"
                + " so the file would be applied again at every start, and it logs nobody in while the framework"
                + " property felix.webconsole.security.providers names the security provider (mcpagent, in"
                + " etc/framework.properties: console users log in with API keys). Leave '" + PASSWORD + "' out of the"
                + " file, or give the hash the console stores, such as {sha-256}...";
    }

    /** As the Web Console tells a hash from a plain-text password: {@code {algorithm}...}. */
    private static boolean hashed(String value) {
        return value.startsWith("{") && value.indexOf('}') > 0;
    }
}
