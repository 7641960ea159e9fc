package io.mcpagent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.mcpagent.api.audit.AuditEntry;
import io.mcpagent.api.audit.AuditLog;

class UnauthenticatedAuditTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String WHY = "the API key or token is not valid (unknown, revoked or expired)";

    private final AuditLog log = mock(AuditLog.class);
    private final MovableClock clock = new MovableClock(START);
    private final UnauthenticatedAudit unauthenticated = unauthenticatedAudit();

    private UnauthenticatedAudit unauthenticatedAudit() {
        RestAudit audit = new RestAudit(clock);
        audit.bind(log, Map.of("service.id", 1L));
        return new UnauthenticatedAudit(audit, clock);
    }

    private void refuse(String target, String address, String why) {
        unauthenticated.refused("api:anonymous", UnauthenticatedAudit.ACTION, target, address, why);
    }

    private List<AuditEntry> recorded(int expected) {
        ArgumentCaptor<AuditEntry> entries = ArgumentCaptor.forClass(AuditEntry.class);
        verify(log, times(expected)).record(entries.capture());
        return entries.getAllValues();
    }

    @Test
    void theFirstRefusalOfAnAddressIsRecordedWithTheRequestAndWhereItCameFrom() {
        refuse("GET /api/v1/status", "10.0.0.7", WHY);

        AuditEntry entry = recorded(1).get(0);
        assertEquals(new AuditEntry(START, "api:anonymous", null, null, "api.unauthenticated", "GET /api/v1/status",
                AuditEntry.DENIED, "from 10.0.0.7: " + WHY), entry);
    }

    @Test
    void repeatsWithinAMinuteAreCountedIntoTheAddressesNextRecordWhateverThePath() {
        refuse("GET /api/v1/status", "10.0.0.7", WHY);
        for (int i = 0; i < 500; i++) {
            clock.advance(Duration.ofMillis(100));
            refuse("POST /api/v1/autonomous/execute/" + i, "10.0.0.7", WHY);
        }
        refuse("GET /api/v1/keys", "10.0.0.8", WHY);
        assertEquals(2, recorded(2).size(), "one record for each address within the minute");

        clock.advance(Duration.ofSeconds(10)); // 60 s after the first record
        refuse("DELETE /api/v1/keys/k1", "10.0.0.7", WHY);

        AuditEntry next = recorded(3).get(2);
        assertEquals("DELETE /api/v1/keys/k1", next.target());
        assertEquals("from 10.0.0.7: " + WHY + "; and 500 more refusals from this address not recorded in the 60 s"
                + " after its previous record", next.detail());
    }

    @Test
    void theAddressesOfOneIpv6Slash64ShareOneRecordAMinute() {
        refuse("GET /api/v1/status", "[2001:db8:1:2:0:0:0:a]", WHY);
        for (int i = 0; i < 100; i++) {
            refuse("GET /api/v1/status", "2001:db8:1:2::" + Integer.toHexString(0x100 + i), WHY);
        }
        refuse("GET /api/v1/status", "2001:db8:1:3::a", WHY);
        assertEquals(2, recorded(2).size(), "one record for each /64 within the minute");

        clock.advance(Duration.ofMinutes(1));
        refuse("GET /api/v1/keys", "2001:db8:1:2::ffff", WHY);

        assertEquals("from 2001:db8:1:2::ffff: " + WHY + "; and 100 more refusals from 2001:db8:1:2::/64 not recorded"
                + " in the 60 s after its previous record", recorded(3).get(2).detail());
    }

    @Test
    void anAddressTheContainerDoesNotKnowIsNamedSo() {
        refuse("GET /api/v1/status", null, WHY);

        assertEquals("from an unknown address: " + WHY, recorded(1).get(0).detail());
    }

    @Test
    void theAddressesRememberedAreBoundedTheOneSeenFirstIsForgottenFirst() {
        for (int i = 0; i <= UnauthenticatedAudit.REMEMBERED; i++) { // one address more than are remembered
            refuse("GET /api/v1/status", "10.1." + i / 256 + "." + i % 256, WHY);
        }
        refuse("GET /api/v1/status", "10.1.0.1", WHY); // still remembered: only counted
        refuse("GET /api/v1/status", "10.1.0.0", WHY); // forgotten: recorded again

        List<AuditEntry> entries = recorded(UnauthenticatedAudit.REMEMBERED + 2);
        assertEquals("from 10.1.0.0: " + WHY, entries.get(entries.size() - 1).detail());
    }
}
