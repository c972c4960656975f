package io.runlog.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A sync server in a child JVM for {@link ServerKillNineTest}: {@code ServerChild STORE KEYS}
 * prints {@code url URL}, then {@code block N} after every block an import writes (N counts
 * from 1 over the child's life), and serves until it is killed.
 */
public final class ServerChild {
    private ServerChild() {
    }

    public static void main(final String[] args) throws Exception {
        final long[] blocks = {0};
        final ServerOptions options = new ServerOptions().importProgress((done, total) -> {
            synchronized (blocks) {
                System.out.println("block " + ++blocks[0]);
                System.out.flush();
            }
        });
        final SyncServer server = SyncServer.start(Path.of(args[0]), ServerFixture.storeOptions(),
            new InetSocketAddress("127.0.0.1", 0), Path.of(args[1]), options, null, null);
        System.out.println("url " + server.url());
        System.out.flush();
        server.join();
    }
}
