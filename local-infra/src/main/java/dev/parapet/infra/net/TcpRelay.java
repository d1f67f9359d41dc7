package dev.parapet.infra.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay in front of a real server, for fault injection: {@link #cut()} refuses new
 * connections and drops open ones, as a network partition or a stopped node would;
 * {@link #restore()} listens again on the same port.
 */
public final class TcpRelay implements AutoCloseable {

    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile int port;

    private TcpRelay(InetSocketAddress target) {
        this.target = target;
    }

    /** Starts relaying from a free loopback port to {@code host:port}. */
    public static TcpRelay to(String host, int port) {
        TcpRelay relay = new TcpRelay(new InetSocketAddress(host, port));
        relay.listen(0);
        return relay;
    }

    public int port() {
        return port;
    }

    private synchronized void listen(int onPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
            listener = server;
            port = server.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + onPort, e);
        }
        ServerSocket server = listener;
        Thread accept = new Thread(() -> accept(server), "tcp-relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return; // listener closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16_384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away; close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Refuses new connections and drops the open ones. */
    public synchronized void cut() {
        closeQuietly(listener);
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Listens again on the same port. */
    public synchronized void restore() {
        if (listener.isClosed()) {
            listen(port);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
