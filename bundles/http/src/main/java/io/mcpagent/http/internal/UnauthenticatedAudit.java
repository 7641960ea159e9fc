package io.mcpagent.http.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mcpagent.api.audit.AuditEntry;

/**
 * Audits failed authentications (the API's 401 answers as {@value #ACTION}, the console's refused logins) without
 * letting an unauthenticated client flood the audit store: at most one record per remote address (an IPv6 one's /64,
 * see {@link ClientNetwork}) and action a {@link #WINDOW}. The record names the request ({@code GET /api/v1/status}) and says where it came from and why it
 * was refused, never the credential presented. Further refusals of that address within the window after a record
 * are only counted; the address's next record, once the window is over, says how many there were.
 */
final class UnauthenticatedAudit {
    static final String ACTION = "api.unauthenticated";
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Addresses remembered at most; past it the one recorded longest ago is forgotten, its uncounted repeats too. */
    static final int REMEMBERED = 10_000;

    /** When an address was last recorded, and how many of its refusals since were not. */
    private record Window(Instant recorded, int notRecorded) {
        boolean covers(Instant time) {
            return time.isBefore(recorded.plus(WINDOW));
        }
    }

    private final RestAudit audit;
    private final Clock clock;
    /** In the order addresses were first seen, so that memory stays bounded whatever the number of addresses. */
    private final Map<String, Window> windows = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > REMEMBERED;
        }
    };

    UnauthenticatedAudit(RestAudit audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A failed authentication from {@code remoteAddress}, refused as {@code action} of the unknown {@code actor} on
     * {@code target}; {@code why} is the answer's message.
     */
    void refused(String actor, String action, String target, String remoteAddress, String why) {
        String address = remoteAddress == null ? "an unknown address" : remoteAddress;
        String network = ClientNetwork.of(remoteAddress);
        String key = action + " " + network;
        Instant now = clock.instant();
        int notRecorded;
        synchronized (windows) {
            Window window = windows.get(key);
            if (window != null && window.covers(now)) {
                windows.put(key, new Window(window.recorded(), window.notRecorded() + 1));
                return;
            }
            notRecorded = window == null ? 0 : window.notRecorded();
            windows.put(key, new Window(now, 0));
        }
        audit.recordUnidentified(actor, action, target, AuditEntry.DENIED, "from " + address + ": " + why
                + (notRecorded == 0 ? "" : "; and " + notRecorded + " more refusals from "
                + (network.endsWith("/64") ? network : "this address") + " not recorded"
                + " in the " + WINDOW.toSeconds() + " s after its previous record"));
    }
}
