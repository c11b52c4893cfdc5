package dev.panode.cli.serve;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body without blocking a thread: chunks are copied as they arrive, up to the configured size limit
 * (413 as soon as it is passed, or at once from the Content-Length), and the whole body must arrive within the read
 * timeout (408: a client that trickles bytes is cut off as surely as a silent one). The deadline is set only when the
 * body has to be waited for: a body that came with the headers (the usual small request) costs no timer, and so no
 * wake-up of the scheduler thread. A client that disconnects mid-body is counted and gets nothing.
 */
final class BodyReader implements Runnable {
    private final Exchange exchange;
    private final int limit;
    private final Consumer<byte[]> onBody;
    private byte[] buf = new byte[1024];
    private int size;
    private Scheduler.Task deadline;
    private long startNanos;
    private long timeoutMillis;

    BodyReader(Exchange exchange, int limit, Consumer<byte[]> onBody) {
        this.exchange = exchange;
        this.limit = limit;
        this.onBody = onBody;
    }

    /** Starts reading; {@code onBody} gets the whole body, on some Jetty thread. */
    void start(long timeoutMillis) {
        long declared = exchange.request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > limit) {
            throw tooLarge("Content-Length " + declared);
        }
        // Grown as bytes arrive: a client that announces megabytes and sends nothing costs nothing.
        if (declared > 0) buf = new byte[(int) Math.min(declared, 64 << 10)];
        this.startNanos = System.nanoTime();
        this.timeoutMillis = timeoutMillis;
        run();
    }

    @Override
    public void run() {
        try {
            while (!exchange.answered()) {
                Content.Chunk chunk = exchange.request.read();
                if (chunk == null) {
                    if (deadline == null) {
                        long left = timeoutMillis - (System.nanoTime() - startNanos) / 1_000_000;
                        deadline = exchange.request.getComponents().getScheduler().schedule(this::timeout,
                                Math.max(0, left), TimeUnit.MILLISECONDS);
                    }
                    exchange.request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable cause = chunk.getFailure();
                    finish();
                    exchange.error(cause instanceof TimeoutException
                            ? new ApiError(ApiError.Kind.READ_TIMEOUT, null, "the request body did not arrive in time")
                            : new ApiError(ApiError.Kind.CLIENT_DISCONNECTED, null, "the client went away mid-request"));
                    return;
                }
                ByteBuffer b = chunk.getByteBuffer();
                int n = b.remaining();
                if ((long) size + n > limit) {
                    chunk.release();
                    finish();
                    exchange.error(tooLarge("the body"));
                    return;
                }
                if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.min(limit, Math.max(size + n, 2 * buf.length)));
                b.get(buf, size, n);
                size += n;
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    finish();
                    onBody.accept(size == buf.length ? buf : Arrays.copyOf(buf, size));
                    return;
                }
            }
        } catch (ApiError e) {
            exchange.error(e);
        }
    }

    private void timeout() {
        exchange.error(new ApiError(ApiError.Kind.READ_TIMEOUT, null, "the request body did not arrive within the "
                + "read timeout"));
    }

    private void finish() {
        if (deadline != null) deadline.cancel();
    }

    private ApiError tooLarge(String what) {
        return new ApiError(ApiError.Kind.BODY_TOO_LARGE, "body", what + " exceeds the limit of " + limit
                + " bytes (--max-body-bytes)");
    }
}
