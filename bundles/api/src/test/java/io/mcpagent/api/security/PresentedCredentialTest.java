package io.mcpagent.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class PresentedCredentialTest {
    @Test
    void eitherHeaderOrBothWithTheSameCredentialAreTaken() {
        assertEquals(Optional.of("k1"), PresentedCredential.of(" k1 ", null));
        assertEquals(Optional.of("k1"), PresentedCredential.of(null, "Bearer k1"));
        assertEquals(Optional.of("k1"), PresentedCredential.of("k1", "bearer  k1 "));
        assertEquals(Optional.of("k1"), PresentedCredential.of("k1", "Basic dXNlcjpwdw=="), "only Bearer is read");
        assertEquals(Optional.empty(), PresentedCredential.of(null, null));
        assertEquals(Optional.empty(), PresentedCredential.of(" ", "Basic dXNlcjpwdw=="));
    }

    @Test
    void twoDifferentCredentialsAreRefusedWhicheverIsJunk() {
        for (String[] headers : new String[][] {{"viewer-key", "Bearer admin-key"}, {"junk", "Bearer admin-key"},
                {"", "Bearer admin-key"}}) {
            assertEquals("the headers X-Api-Key and Authorization (Bearer) carry different credentials; send one of"
                    + " them (or the same credential in both)", assertThrows(IllegalArgumentException.class,
                    () -> PresentedCredential.of(headers[0], headers[1])).getMessage(), headers[0]);
        }
        // the audit log masks what it shows: the words must read no credential (it read "Authorization: [redacted]
        // different credentials", the masking taking "Bearer carry" for one)
        assertEquals(PresentedCredential.TWO_CREDENTIALS, Secrets.redact(PresentedCredential.TWO_CREDENTIALS));
    }
}
