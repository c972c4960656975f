package io.runlog.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that damages the connections it carries, seeded: per request (a
 * connection's first bytes, and every time the client sends again after an answer) it draws one
 * fate.
 * <ul>
 *   <li>{@code PASS}: bytes go through untouched;</li>
 *   <li>{@code DROP_REQUEST}: the connection is closed after a random part of the request went
 *       to the server (the server sees a cut body);</li>
 *   <li>{@code DROP_RESPONSE}: the whole request goes through, then the connection is closed
 *       after a random part of the response (the server may have committed: the client cannot
 *       tell);</li>
 *   <li>{@code RESET}: as DROP_RESPONSE but with a TCP reset (SO_LINGER 0);</li>
 *   <li>{@code TRUNCATE}: the response is cut after a random number of bytes and the write side
 *       shut down (a clean FIN mid-body);</li>
 *   <li>{@code DELAY}: bytes go through, each chunk after a short real pause.</li>
 * </ul>
 * The proxy never alters bytes it forwards, so damage is always a loss of the tail. It counts
 * fates for the test's report.
 */
final class FaultyProxy implements AutoCloseable {
    enum Fate { PASS, DROP_REQUEST, DROP_RESPONSE, RESET, TRUNCATE, DELAY }

    private final ServerSocket listener;
    private final int targetPort;
    private final Random random;
    private final double faultRate;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong[] counts = new AtomicLong[Fate.values().length];
    private final Thread acceptor;
    private volatile boolean closed;

    FaultyProxy(final int targetPort, final long seed, final double faultRate) throws IOException {
        this.targetPort = targetPort;
        this.random = new Random(seed);
        this.faultRate = faultRate;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new AtomicLong();
        }
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "faulty-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    long count(final Fate f) {
        return counts[f.ordinal()].get();
    }

    long faults() {
        long n = 0;
        for (final Fate f : Fate.values()) {
            if (f != Fate.PASS) {
                n += count(f);
            }
        }
        return n;
    }

    private Fate draw() {
        synchronized (random) {
            if (random.nextDouble() >= faultRate) {
                return Fate.PASS;
            }
            final Fate[] faults = {Fate.DROP_REQUEST, Fate.DROP_RESPONSE, Fate.RESET, Fate.TRUNCATE, Fate.DELAY};
            return faults[random.nextInt(faults.length)];
        }
    }

    private long drawCut(final long bound) {
        synchronized (random) {
            return random.nextLong(Math.max(1, bound));
        }
    }

    /**
     * One proxied connection. A fate is drawn per request: when the client sends again after the
     * server has answered something, a new request has begun on the kept-alive connection.
     */
    private final class Link {
        final Socket client;
        final Socket server;
        volatile Fate fate;
        volatile long requestCut;
        volatile long responseCut;
        long requestSent;
        long responseSent;
        volatile boolean answered;

        Link(final Socket client, final Socket server) {
            this.client = client;
            this.server = server;
            redraw();
        }

        synchronized void redraw() {
            fate = draw();
            counts[fate.ordinal()].incrementAndGet();
            requestCut = fate == Fate.DROP_REQUEST ? drawCut(4_096) : Long.MAX_VALUE;
            responseCut = fate == Fate.DROP_RESPONSE || fate == Fate.RESET || fate == Fate.TRUNCATE ? drawCut(600)
                : Long.MAX_VALUE;
            requestSent = 0;
            responseSent = 0;
            answered = false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                final Socket client = listener.accept();
                final Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                sockets.add(client);
                sockets.add(server);
                final Link link = new Link(client, server);
                start(() -> pump(link, true));
                start(() -> pump(link, false));
            } catch (final IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static void start(final Runnable r) {
        final Thread t = new Thread(r, "faulty-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void pump(final Link link, final boolean request) {
        final Socket from = request ? link.client : link.server;
        final Socket to = request ? link.server : link.client;
        final byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream()) {
            final OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                final long cut;
                final long sent;
                synchronized (link) {
                    if (request && link.answered) {
                        link.redraw();
                    }
                    if (!request) {
                        link.answered = true;
                    }
                    cut = request ? link.requestCut : link.responseCut;
                    sent = request ? link.requestSent : link.responseSent;
                    if (request) {
                        link.requestSent += n;
                    } else {
                        link.responseSent += n;
                    }
                }
                if (link.fate == Fate.DELAY) {
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                }
                if (sent + n > cut) {
                    out.write(buf, 0, (int) Math.max(0, cut - sent));
                    out.flush();
                    end(from, to, link.fate);
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (final IOException e) {
            quietClose(from);
            quietClose(to);
        }
    }

    private static void end(final Socket from, final Socket to, final Fate fate) throws IOException {
        if (fate == Fate.RESET) {
            to.setSoLinger(true, 0);
            from.setSoLinger(true, 0);
        }
        if (fate == Fate.TRUNCATE) {
            to.shutdownOutput();
            from.close();
            return;
        }
        to.close();
        from.close();
    }

    private static void quietClose(final Socket s) {
        try {
            s.close();
        } catch (final IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (final Socket s : sockets) {
            quietClose(s);
        }
    }
}
