package dev.panode.cli.serve;

import org.eclipse.jetty.server.Request;

/**
 * Fairness of inline solves among the connections of one selector thread. After answering a request, Jetty's
 * HTTP/1.1 connection reads the next one at once if the client has already sent it; a client that always has its
 * next request waiting would keep the selector solving for it alone, and the selector's other connections would not
 * be read meanwhile. So a connection whose next request arrives within {@link #HOT_NANOS} of the end of its previous
 * inline solve (it was waiting) sends that request to the pool, and the selector moves on; a connection that pauses
 * between requests (the usual case below saturation) keeps its requests inline.
 */
final class InlineTurns {
    /** A request that arrives this soon after the connection's previous inline solve ended was already waiting. */
    static final long HOT_NANOS = 200_000;

    private static final String KEY = InlineTurns.class.getName();

    private volatile long lastEnd = Long.MIN_VALUE;

    /** The state of the request's connection (one per connection, kept in its attributes). */
    static InlineTurns of(Request request) {
        var meta = request.getConnectionMetaData();
        if (meta.getAttribute(KEY) instanceof InlineTurns t) return t;
        InlineTurns t = new InlineTurns();
        meta.setAttribute(KEY, t);
        return t;
    }

    /** Whether a request arriving at {@code arrivalNanos} must yield to the other connections (go to the pool). */
    boolean hadTurn(long arrivalNanos) {
        return lastEnd != Long.MIN_VALUE && arrivalNanos - lastEnd < HOT_NANOS;
    }

    /** An inline solve on this connection ended. */
    void ended(long nanos) {
        lastEnd = nanos;
    }
}
