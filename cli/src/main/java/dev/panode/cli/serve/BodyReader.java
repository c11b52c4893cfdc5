package dev.panode.cli.serve;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** Where the body goes once whole. */
    @FunctionalInterface
    interface Body {
        /**
         * The body is {@code body[0, length)}; when {@code reused}, the array is the reading thread's scratch array,
         * valid only during this call (copy what must outlive it).
         */
        void accept(byte[] body, int length, boolean reused);
    }

    /** Largest body read into the thread's reused scratch array when it arrives in one chunk. */
    static final int SCRATCH_BYTES = 64 << 10;
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[4096]});
    private static final byte[] EMPTY = new byte[0];

    private final Exchange exchange;
    private final int limit;
    private final Body onBody;
    private byte[] buf = EMPTY;
    private long declared;
    private int size;
    private Scheduler.Task deadline;
    private long startNanos;
    private long timeoutMillis;

    BodyReader(Exchange exchange, int limit, Body onBody) {
        this.exchange = exchange;
        this.limit = limit;
        this.onBody = onBody;
    }

    /** Starts reading; {@code onBody} gets the whole body, on some Jetty thread. */
    void start(long timeoutMillis) {
        declared = exchange.request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > limit) {
            throw tooLarge("Content-Length " + declared);
        }
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
                boolean last = chunk.isLast();
                if (last && size == 0 && n <= SCRATCH_BYTES) {
                    // the whole body in one chunk (the usual small request): into the thread's reused array
                    byte[][] scratch = SCRATCH.get();
                    if (scratch[0].length < n) scratch[0] = new byte[Math.max(n, Math.min(SCRATCH_BYTES, 2 * scratch[0].length))];
                    b.get(scratch[0], 0, n);
                    chunk.release();
                    finish();
                    onBody.accept(scratch[0], n, true);
                    return;
                }
                if (size + n > buf.length) {
                    // grown as bytes arrive: a client that announces megabytes and sends nothing costs nothing
                    int first = declared > 0 ? (int) Math.min(declared, 64 << 10) : 1024;
                    buf = Arrays.copyOf(buf, Math.min(limit, Math.max(size + n, Math.max(first, 2 * buf.length))));
                }
                b.get(buf, size, n);
                size += n;
                chunk.release();
                if (last) {
                    finish();
                    onBody.accept(buf, size, false);
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
