package io.mcpagent.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The test JVMs that run at once share {@code -Dmcpagent.itest.ports} by slices ({@link DistributionLayout#slice}):
 * no port is in two slices, so no JVM hands out a port that the other's runtime is about to bind.
 */
class PortSlicesIT {

    @Test
    void twoJvmsTakeOneHalfOfTheRangeEach() {
        assertArrayEquals(new int[] {43300, 43349}, DistributionLayout.slice(43300, 43399, 1, 2));
        assertArrayEquals(new int[] {43350, 43399}, DistributionLayout.slice(43300, 43399, 2, 2));
    }

    @Test
    void oneJvmTakesTheWholeRangeAndAPortLeftOverByAnUnevenSplitIsUnused() {
        assertArrayEquals(new int[] {43300, 43399}, DistributionLayout.slice(43300, 43399, 1, 1));
        assertArrayEquals(new int[] {43300, 43332}, DistributionLayout.slice(43300, 43399, 1, 3));
        assertArrayEquals(new int[] {43366, 43398}, DistributionLayout.slice(43300, 43399, 3, 3));
        assertArrayEquals(new int[] {43300, 43399}, DistributionLayout.slice(43300, 43399, 1, 0),
                "forkCount 0: the tests run in Maven's own JVM");
    }

    @Test
    void aRangeNarrowerThanTheJvmsIsRefusedSayingWhatToDo() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DistributionLayout.slice(43300, 43300, 1, 2));
        assertEquals("mcpagent.itest.ports=43300-43300 has too few ports for 2 test JVMs (mcpagent.itest.forks), at"
                + " least one each; give a wider range, or -Dmcpagent.itest.forks=1", refused.getMessage());
        assertEquals("mcpagent.itest.fork is 3, not a test JVM from 1 to 2 (mcpagent.itest.forks)",
                assertThrows(IllegalArgumentException.class, () -> DistributionLayout.slice(43300, 43399, 3, 2))
                        .getMessage());
    }
}
