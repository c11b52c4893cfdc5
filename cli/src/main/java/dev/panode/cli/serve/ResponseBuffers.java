package dev.panode.cli.serve;

import dev.panode.cli.JsonOutput;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reusable response buffer per thread. A response is written from its buffer asynchronously when the socket is
 * full, so a buffer is claimed until its write completes: a thread whose buffer is still being written takes a fresh
 * one for that response (rare: small responses are written before {@code write} returns).
 */
final class ResponseBuffers {
    /** A claimed buffer; {@link #release} after its write completed or failed. */
    static final class Buffer {
        final JsonOutput out = new JsonOutput(4096);
        private final AtomicBoolean claimed = new AtomicBoolean();

        void release() {
            claimed.set(false);
        }
    }

    private static final ThreadLocal<Buffer> PER_THREAD = ThreadLocal.withInitial(Buffer::new);

    private ResponseBuffers() {}

    /** The thread's buffer, emptied, if its last response was written; otherwise a new one. */
    static Buffer claim() {
        Buffer b = PER_THREAD.get();
        if (!b.claimed.compareAndSet(false, true)) {
            b = new Buffer();
            b.claimed.set(true);
        }
        b.out.reset();
        return b;
    }
}
