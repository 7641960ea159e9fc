package io.mcpagent.provider.support;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The AWS event-stream binary framing (Bedrock ConverseStream): per message a 12-byte prelude (total length,
 * headers length, prelude CRC32), the headers, the payload and a CRC32 of everything before it. Both checksums
 * are verified; header values of every type are decoded, strings kept as text.
 */
public final class EventStreamDecoder {

    /** One frame: its headers ({@code :event-type}, {@code :message-type}, ...) and its payload. */
    public record Message(Map<String, Object> headers, byte[] payload) {
        public String header(String name) {
            Object value = headers.get(name);
            return value == null ? null : value.toString();
        }

        public String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final DataInputStream in;
    private final int maxMessageBytes;
    /** When the stream last brought content; null for no limit. */
    private final StreamProgress progress;

    public EventStreamDecoder(InputStream in, int maxMessageBytes) {
        this(in, maxMessageBytes, null);
    }

    /**
     * A decoder that ends the stream with a {@link StreamWithoutEventsException} when {@code progress} (none when null)
     * saw no content for longer than its limit, however many messages without content arrive meanwhile (2.10).
     */
    public EventStreamDecoder(InputStream in, int maxMessageBytes, StreamProgress progress) {
        this.in = new DataInputStream(in);
        this.maxMessageBytes = maxMessageBytes;
        this.progress = progress;
    }

    public void readAll(Consumer<Message> sink) throws IOException {
        Message message;
        while ((message = next()) != null) {
            sink.accept(message);
            if (progress != null) {
                progress.check();
            }
        }
    }

    /** The next message, or null at a clean end of stream. */
    public Message next() throws IOException {
        byte[] prelude = new byte[12];
        int first = in.read();
        if (first < 0) {
            return null;
        }
        prelude[0] = (byte) first;
        in.readFully(prelude, 1, 11);
        ByteBuffer preludeBuffer = ByteBuffer.wrap(prelude);
        int totalLength = preludeBuffer.getInt();
        int headersLength = preludeBuffer.getInt();
        long preludeCrc = Integer.toUnsignedLong(preludeBuffer.getInt());
        if (crc(prelude, 0, 8) != preludeCrc) {
            throw new Http1Client.MalformedAnswerException("event-stream prelude checksum mismatch");
        }
        if (Integer.toUnsignedLong(totalLength) > maxMessageBytes) {
            throw new StreamEventTooLargeException(maxMessageBytes);
        }
        if (totalLength < 16 || headersLength < 0 || headersLength > totalLength - 16) {
            throw new Http1Client.MalformedAnswerException("event-stream message of " + totalLength + " bytes (headers "
                    + headersLength + ") is malformed");
        }
        byte[] message = new byte[totalLength];
        System.arraycopy(prelude, 0, message, 0, 12);
        try {
            in.readFully(message, 12, totalLength - 12);
        } catch (EOFException e) {
            throw new IOException("event-stream cut off inside a message", e);
        }
        long messageCrc = Integer.toUnsignedLong(ByteBuffer.wrap(message, totalLength - 4, 4).getInt());
        if (crc(message, 0, totalLength - 4) != messageCrc) {
            throw new Http1Client.MalformedAnswerException("event-stream message checksum mismatch");
        }
        Map<String, Object> headers = headers(ByteBuffer.wrap(message, 12, headersLength).slice());
        byte[] payload = new byte[totalLength - 16 - headersLength];
        System.arraycopy(message, 12 + headersLength, payload, 0, payload.length);
        return new Message(headers, payload);
    }

    private static Map<String, Object> headers(ByteBuffer buffer) throws IOException {
        Map<String, Object> headers = new LinkedHashMap<>();
        try {
            while (buffer.hasRemaining()) {
                byte[] name = new byte[Byte.toUnsignedInt(buffer.get())];
                buffer.get(name);
                int type = buffer.get();
                Object value = switch (type) {
                    case 0 -> Boolean.TRUE;
                    case 1 -> Boolean.FALSE;
                    case 2 -> buffer.get();
                    case 3 -> buffer.getShort();
                    case 4 -> buffer.getInt();
                    case 5, 8 -> buffer.getLong();
                    case 6, 7 -> {
                        byte[] bytes = new byte[Short.toUnsignedInt(buffer.getShort())];
                        buffer.get(bytes);
                        yield type == 7 ? new String(bytes, StandardCharsets.UTF_8) : bytes;
                    }
                    case 9 -> {
                        byte[] uuid = new byte[16];
                        buffer.get(uuid);
                        yield uuid;
                    }
                    default -> throw new Http1Client.MalformedAnswerException("event-stream header type " + type
                            + " unknown");
                };
                headers.put(new String(name, StandardCharsets.UTF_8), value);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("event-stream headers truncated", e);
        }
        return headers;
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
