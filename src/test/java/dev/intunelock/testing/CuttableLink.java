package dev.intunelock.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link between the function and a real server (dynalite, the sandbox's KMS) that a test can cut: while cut,
 * open connections are closed and new ones are dropped at once, as when DynamoDB fails in the middle of a request.
 * Bytes pass untouched; a test may record them (both directions) to see what went over the wire.
 */
public final class CuttableLink implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile ByteArrayOutputStream recording;

    private CuttableLink(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "cuttable-link-" + targetPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static CuttableLink to(int targetPort) {
        try {
            return new CuttableLink(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on, every connection through the link fails. */
    public void cut() {
        cut = true;
        open.forEach(CuttableLink::closeQuietly);
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    /** From now on, keeps a copy of every byte that passes, either way, until {@link #stopRecording()}. */
    public void startRecording() {
        recording = new ByteArrayOutputStream();
    }

    /** What passed since {@link #startRecording()}, byte for byte as Latin-1 text. */
    public String stopRecording() {
        ByteArrayOutputStream recorded = recording;
        recording = null;
        synchronized (recorded) {
            return recorded.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        cut();
        closeQuietly(listener);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                // No Nagle delay on either side: a request written in pieces must not wait for delayed ACKs.
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException closed) {
                // listener closed, or the target refused: the client sees its connection fail
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) != -1;) {
                    ByteArrayOutputStream copy = recording;
                    if (copy != null) {
                        synchronized (copy) {
                            copy.write(buffer, 0, read);
                        }
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException ended) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "cuttable-link-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
