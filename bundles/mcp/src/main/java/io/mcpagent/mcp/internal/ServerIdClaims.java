package io.mcpagent.mcp.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which configuration's server runs for each MCP server id. Of the configurations naming one id, the first registered
 * holds it and keeps it while its configuration is changed (its server registers anew); the others wait and take the
 * id over in their order once the configuration holding it is removed; a waiting configuration changed goes behind the
 * others. A waiting configuration's server is not started, so that it runs no process and holds no connection nobody
 * calls, and is registered on standby ({@link io.mcpagent.api.plugin.PluginProperties#MCP_STANDBY}): the plugin
 * whiteboard (core) uses it only when no other plugin has the id, so it serves the server that runs, also after core
 * restarted and no longer knows which came first. It refuses the waiting configuration, naming the holder.
 */
@Component(service = {ServerIdClaims.class, ConfigurationListener.class})
public final class ServerIdClaims implements ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(ServerIdClaims.class);

    /**
     * The configurations naming each id, in the order they claimed it: the first holds it. A {@code serve} of null is
     * a holder whose configuration changed, until its server claims again; guarded by this.
     */
    private final Map<String, List<Claim>> claims = new HashMap<>();

    /** The configuration {@code pid} naming an id, and how to serve its server once it holds the id. */
    private record Claim(String pid, Runnable serve) {
    }

    /**
     * Registers the server of configuration {@code pid} ({@code register}, told whether the configuration waits for
     * the id: {@link io.mcpagent.api.plugin.PluginProperties#MCP_STANDBY}) and claims {@code id} for it in one step, so
     * that the claims come in the order of the registrations. Serves the registered server ({@code serve}: starts it
     * and ends its standby) now when the configuration holds the id, else once it takes the id over. A claim of the
     * configuration for another id (its id changed) ends.
     */
    synchronized <R> R claim(String id, String pid, Function<Boolean, R> register, Consumer<R> serve) {
        int own = indexOf(claims.getOrDefault(id, List.of()), pid);
        boolean holds = !claims.containsKey(id) || own == 0; // the first, or a holder back after a change
        R registration = register.apply(!holds); // a registration refused (the bundle stopping) claims nothing
        // after the registration, which is when the whiteboard hands the id left to the next configuration
        List<String> leftIds = claims.keySet().stream().filter(other -> !other.equals(id)).toList();
        leftIds.forEach(other -> end(other, pid, "its configuration now names '" + id + "'"));
        List<Claim> claimants = claims.computeIfAbsent(id, named -> new ArrayList<>());
        Claim claim = new Claim(pid, () -> serve.accept(registration));
        if (own >= 0) {
            claimants.set(own, claim);
        } else {
            claimants.add(claim);
        }
        if (holds) {
            claim.serve().run();
        } else {
            LOG.info("MCP server '{}' of configuration {} is not started: configuration {} serves its id; it starts"
                    + " when that one is removed", id, pid, claimants.get(0).pid());
        }
        return registration;
    }

    /**
     * The server of configuration {@code pid} is stopped, DS says why ({@code deactivationReason}). A configuration
     * removed hands the id to the next one naming it, whose server starts. A holder whose configuration changed keeps
     * the id for the server the changed configuration starts. Any other reason (the bundle stopping, the component
     * disabled) stops every server of this bundle: starting the next would spawn a process for nothing.
     */
    synchronized void release(String id, String pid, int deactivationReason) {
        List<Claim> claimants = claims.getOrDefault(id, List.of());
        int own = indexOf(claimants, pid);
        if (own == 0 && deactivationReason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_MODIFIED) {
            claimants.set(0, new Claim(pid, null));
        } else if (deactivationReason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED) {
            end(id, pid, "it was removed");
        } else if (own >= 0) {
            // a refused configuration changed registers anew, behind the others; the bundle stopping starts nobody
            claimants.remove(own);
            if (claimants.isEmpty()) {
                claims.remove(id);
            }
        }
    }

    /**
     * A configuration deleted while its server is away (its changed configuration did not come back: its component
     * failed to activate) hands the id it kept to the next configuration naming it.
     */
    @Override
    public synchronized void configurationEvent(ConfigurationEvent event) {
        if (event.getType() != ConfigurationEvent.CM_DELETED) {
            return;
        }
        List.copyOf(claims.keySet()).stream().filter(id -> {
            Claim holder = claims.get(id).get(0);
            return holder.serve() == null && holder.pid().equals(event.getPid());
        }).forEach(id -> end(id, event.getPid(), "it was removed"));
    }

    /** Ends the claim of {@code pid} for {@code id}, if any, saying {@code why}; the next claimant may hold it now. */
    private void end(String id, String pid, String why) {
        List<Claim> claimants = claims.get(id);
        int own = claimants == null ? -1 : indexOf(claimants, pid);
        if (own < 0) {
            return;
        }
        claimants.remove(own);
        if (claimants.isEmpty()) {
            claims.remove(id);
        } else if (own == 0) {
            Claim next = claimants.get(0);
            LOG.info("MCP server '{}' of configuration {} starts: it takes the id over from configuration {}, as {}",
                    id, next.pid(), pid, why);
            next.serve().run();
        }
    }

    private static int indexOf(List<Claim> claimants, String pid) {
        for (int i = 0; i < claimants.size(); i++) {
            if (claimants.get(i).pid().equals(pid)) {
                return i;
            }
        }
        return -1;
    }
}
