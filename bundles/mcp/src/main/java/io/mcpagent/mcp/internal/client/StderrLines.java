package io.mcpagent.mcp.internal.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a server's stderr into lines (ended by LF, CR or CRLF) of at most {@code maxLineBytes} bytes of UTF-8. A longer
 * line is handed on cut at that length as soon as it gets there and the rest of it is skipped: a server writing
 * hundreds of megabytes without a newline must not fill our heap (stderr is only logged, so nothing needs more).
 */
final class StderrLines {
    private StderrLines() {
    }

    static void read(InputStream in, int maxLineBytes, Consumer<String> sink) throws IOException {
        byte[] line = new byte[maxLineBytes];
        byte[] buffer = new byte[8192];
        int length = 0;
        boolean skipping = false;
        boolean previousWasCr = false;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            for (int i = 0; i < read; i++) {
                byte b = buffer[i];
                boolean crlf = previousWasCr && b == '\n';
                previousWasCr = b == '\r';
                if (crlf) {
                    continue;
                }
                if (b == '\n' || b == '\r') {
                    if (!skipping) {
                        sink.accept(new String(line, 0, length, StandardCharsets.UTF_8));
                    }
                    length = 0;
                    skipping = false;
                } else if (!skipping) {
                    if (length == maxLineBytes) {
                        sink.accept(new String(line, 0, length, StandardCharsets.UTF_8));
                        skipping = true;
                    } else {
                        line[length++] = b;
                    }
                }
            }
        }
        if (length > 0 && !skipping) {
            sink.accept(new String(line, 0, length, StandardCharsets.UTF_8));
        }
    }
}
