package io.mcpagent.launcher;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One runtime at a time per home: an exclusive lock on {@code data/mcp-agent.lock}, which holds the owner's pid for
 * the message of a refused start. The operating system drops the lock when the process ends, however it ends, so a
 * crashed runtime never blocks the next start; the file itself stays.
 */
final class HomeLock implements AutoCloseable {
    static final String FILE = "data/mcp-agent.lock";

    private final FileChannel channel;

    private HomeLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Takes the lock of {@code home} for this process, creating {@code data/} if needed.
     *
     * @throws HomeInUseException when another process holds it
     */
    static HomeLock acquire(Path home) throws IOException, HomeInUseException {
        Path file = home.resolve(FILE);
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, CREATE, READ, WRITE);
        try {
            if (channel.tryLock() == null) {
                throw new HomeInUseException(home, owner(channel));
            }
            channel.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(US_ASCII)));
            channel.force(false);
            return new HomeLock(channel);
        } catch (Exception e) {
            channel.close();
            throw e;
        }
    }

    /** The pid the holder wrote; none if it has not written it yet or the system keeps locked files from being read. */
    private static OptionalLong owner(FileChannel channel) {
        ByteBuffer content = ByteBuffer.allocate(32);
        try {
            channel.read(content, 0);
            return pid(new String(content.array(), 0, content.position(), US_ASCII));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The pid in the lock file of {@code home} if that process runs; none while the start that is taking the lock has
     * not written its own yet (the file then names an earlier runtime). Reads only: nothing is created.
     */
    static OptionalLong liveOwner(Path home) {
        try {
            OptionalLong pid = pid(Files.readString(home.resolve(FILE), US_ASCII));
            return pid.isPresent() && ProcessHandle.of(pid.getAsLong()).isPresent() ? pid : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong pid(String content) {
        try {
            return OptionalLong.of(Long.parseLong(content.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
