package io.mcpagent.config.internal;

import java.util.Dictionary;

/**
 * The Web Console's {@code password} in its file ({@value #PID}) must be the hash the console stores, never a password
 * in plain text: the console replaces a plain-text one with its salted hash in its own configuration, so the file
 * differed from its configuration at every start and was applied again, restarting the console each time; the hash
 * cannot be compared with the file's password (its algorithm is the console's own, salted). Refused rather than
 * applied, as it is a secret left readable in {@code etc/} that logs nobody in here: the console's own user is not
 * taken while the framework property {@code felix.webconsole.security.providers} requires another security provider.
 */
final class ConsolePasswordCheck {
    static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    static final String PASSWORD = "password";

    private ConsolePasswordCheck() {
    }

    /** @throws JsonConfigFile.Invalid when the file sets a password that is not a hash; its value is never shown */
    static void check(Dictionary<String, Object> properties) throws JsonConfigFile.Invalid {
        Object password = properties.get(PASSWORD);
        if (password != null && !(password instanceof String value && hashed(value))) {
            throw new JsonConfigFile.Invalid("property '" + PASSWORD + "' is not the hash the Web Console stores (its"
                    + " value is not shown): the console would replace a password in plain text with its hash, so the"
                    + " file would be applied again at every start, and it logs nobody in while the framework property"
                    + " felix.webconsole.security.providers names the security provider (mcpagent, in"
                    + " etc/framework.properties: console users log in with API keys). Leave '" + PASSWORD + "' out of"
                    + " the file, or give the hash the console stores, such as {sha-256}...");
        }
    }

    /** As the Web Console tells a hash from a plain-text password: {@code {algorithm}...}. */
    private static boolean hashed(String value) {
        return value.startsWith("{") && value.indexOf('}') > 0;
    }
}
