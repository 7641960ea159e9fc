package io.mcpagent.history.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * The disk as H2 sees it through the URL prefix {@value #SCHEME}, which can be made full: while {@link #fill} holds,
 * every write to a file fails as on a full disk; while {@link #protect} holds, files cannot be written either, and say
 * so (an immutable file, a read-only file system), so that H2 opens them read-only. H2 creates these paths by
 * reflection, so the switches are static; a test registers the scheme with {@link #register} and unregisters it when
 * done.
 */
public final class FailingWritesFilePath extends FilePathWrapper {
    static final String SCHEME = "full-disk";
    private static volatile boolean full;
    private static volatile boolean protectedFiles;

    static void register() {
        full = false;
        protectedFiles = false;
        FilePath.register(new FailingWritesFilePath());
    }

    static void unregister() {
        full = false;
        protectedFiles = false;
        FilePath.unregister(new FailingWritesFilePath());
    }

    /** Whether writes fail from now on. */
    static void fill(boolean fill) {
        full = fill;
    }

    /** Whether files cannot be written from now on, and say so. */
    static void protect(boolean protect) {
        protectedFiles = protect;
    }

    @Override
    public boolean canWrite() {
        return !protectedFiles && super.canWrite();
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(super.open(mode));
    }

    private static final class Channel extends FileBase {
        private final FileChannel disk;

        Channel(FileChannel disk) {
            this.disk = disk;
        }

        private static void checkSpace() throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
            if (protectedFiles) {
                throw new IOException("Operation not permitted");
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return disk.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return disk.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            checkSpace();
            return disk.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            checkSpace();
            return disk.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return disk.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            disk.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return disk.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            disk.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            disk.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return disk.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            disk.close();
        }
    }
}
