package io.mcpagent.mcp.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A server's stderr is read in bounded lines: a line without end must not be held in memory whole. */
class StderrLinesTest {

    /** {@code size} bytes of 'x' without a newline, then "\nafter\n", counting what has been read. */
    private static final class EndlessLine extends InputStream {
        private final long size;
        private final byte[] tail = "\nafter\n".getBytes(StandardCharsets.US_ASCII);
        long read;

        EndlessLine(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("read in blocks");
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (read >= size + tail.length) {
                return -1;
            }
            int n = (int) Math.min(length, size + tail.length - read);
            for (int i = 0; i < n; i++, read++) {
                into[offset + i] = read < size ? (byte) 'x' : tail[(int) (read - size)];
            }
            return n;
        }
    }

    @Test
    void aLineWithoutEndIsHandedOnCutAtTheLimitBeforeTheRestIsRead() throws IOException {
        EndlessLine stderr = new EndlessLine(64L << 20);
        List<String> lines = new ArrayList<>();
        List<Long> readWhenHandedOn = new ArrayList<>();
        StderrLines.read(stderr, 1024, line -> {
            lines.add(line);
            readWhenHandedOn.add(stderr.read);
        });
        assertTrue(readWhenHandedOn.get(0) <= 1024 + 8192,
                "the first line was held until " + readWhenHandedOn.get(0) + " bytes had been read");
        assertEquals(List.of(1024, 5), lines.stream().map(String::length).toList());
        assertEquals("after", lines.get(1));
    }

    @Test
    void linesEndWithLfCrOrCrlf() throws IOException {
        List<String> lines = new ArrayList<>();
        StderrLines.read(new ByteArrayInputStream("a\nb\r\nc\rd\u00e9".getBytes(StandardCharsets.UTF_8)), 1024, lines::add);
        assertEquals(List.of("a", "b", "c", "d\u00e9"), lines);
    }
}
