package io.mcpagent.launcher;

import java.nio.file.Path;

/** A runtime stand-in for {@link HomeLockTest}: holds the lock of the home in args[0] until stdin closes or it is killed. */
public final class HomeLockHolder {
    private HomeLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (HomeLock lock = HomeLock.acquire(Path.of(args[0]))) {
            System.out.println("held");
            System.out.flush();
            System.in.read();
        }
    }
}
