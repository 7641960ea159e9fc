package io.mcpagent.http.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.mcpagent.api.runtime.HttpServiceSettings;
import io.mcpagent.api.runtime.Problem;
import io.mcpagent.api.runtime.ProblemReporter;

/**
 * Reports Felix Jetty's {@value #LOAD_BALANCER} switched on, in its configuration or as a framework property. Jetty
 * then puts a {@code ForwardedRequestCustomizer} on its connectors, which takes {@code X-Forwarded-For} (and
 * {@code -Proto}, {@code -Host}, {@code Forwarded}) from every peer, trusting none in particular: the servlet
 * request's remote address becomes what the client wrote. Any client then picks the address its failed
 * authentications are counted and audited by, a new one for each guess, whether {@code trustedProxies} is set or not
 * (with it set, the peer compared with the trusted proxies is already the client's word). So the switch is a problem
 * on its own, not only beside {@code trustedProxies}, until it is off.
 */
@Component(service = ProblemReporter.class)
public final class ForwardingJettyCheck implements ProblemReporter {
    static final String LOAD_BALANCER = "org.apache.felix.proxy.load.balancer.connection.enable";
    static final String MESSAGE = LOAD_BALANCER + " is on (" + HttpEndpointWatch.FILE + " or the framework"
            + " property): Jetty takes every request's client address from the X-Forwarded-For header whoever sends it,"
            + " so any client chooses the address its failed authentications are counted and audited by, and can guess"
            + " API keys without ever being blocked; turn it off and name the reverse proxy in trustedProxies of etc/"
            + HttpConfig.PID + ".cfg.json, which takes the header from that proxy only";

    private final ConfigurationAdmin configurationAdmin;
    private final Function<String, String> frameworkProperties;
    private final Clock clock;
    /** When the switch was first seen on, while it stays on; null while it is off. */
    private volatile Instant onSince;

    @Activate
    public ForwardingJettyCheck(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
        this(configurationAdmin, context::getProperty, Clock.systemUTC());
    }

    ForwardingJettyCheck(ConfigurationAdmin configurationAdmin, Function<String, String> frameworkProperties,
                         Clock clock) {
        this.configurationAdmin = configurationAdmin;
        this.frameworkProperties = frameworkProperties;
        this.clock = clock;
    }

    /** Read from the configuration at each call, so a change shows at once and nothing needs watching. */
    @Override
    public List<Problem> problems() {
        Configuration configuration = HttpEndpointWatch.httpConfiguration(configurationAdmin);
        Dictionary<String, Object> properties = configuration == null ? null : configuration.getProperties();
        HttpServiceSettings settings = new HttpServiceSettings(properties == null ? new Hashtable<>() : properties,
                frameworkProperties);
        if (!HttpServiceSettings.isOn(settings.value(LOAD_BALANCER), false)) {
            onSince = null;
            return List.of();
        }
        Instant since = onSince;
        if (since == null) {
            since = clock.instant();
            onSince = since;
        }
        return List.of(new Problem("http", HttpServiceSettings.PID, MESSAGE, since));
    }
}
