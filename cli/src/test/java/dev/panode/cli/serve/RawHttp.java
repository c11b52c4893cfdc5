package dev.panode.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.cli.ProblemFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over one keep-alive socket to 127.0.0.1, for tests that need control over the bytes on
 * the wire (partial bodies, stalls, disconnects, counted connections). Reads Content-Length responses only, which is
 * all the service sends. Every read has a 30 s socket timeout so that no test hangs.
 */
final class RawHttp implements AutoCloseable {
    /** A response: status, headers (lower-case names) and body. */
    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return ProblemFile.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    final Socket socket;
    private final InputStream in;
    final OutputStream out;

    RawHttp(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Reply once(int port, String method, String path, String body) {
        try (RawHttp h = new RawHttp(port)) {
            return h.call(method, path, body);
        }
    }

    Reply call(String method, String path, String body) {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        send(head(method, path, b.length), b);
        return read();
    }

    static String head(String method, String path, long contentLength) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + (method.equals("GET") ? "" : "Content-Length: " + contentLength + "\r\n") + "\r\n";
    }

    void send(String head, byte[] body) {
        try {
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply read() {
        try {
            String status = line();
            if (status == null) throw new IOException("connection closed before a response");
            int code = Integer.parseInt(status.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(); l != null && !l.isEmpty(); l = line()) {
                int c = l.indexOf(':');
                headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
            }
            int n = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(n);
            return new Reply(code, headers, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server has closed the connection (read returns end of stream within the timeout). */
    boolean closedByServer(int timeoutMillis) {
        try {
            socket.setSoTimeout(timeoutMillis);
            return in.read() < 0;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c < 0 && b.size() == 0) return null;
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
