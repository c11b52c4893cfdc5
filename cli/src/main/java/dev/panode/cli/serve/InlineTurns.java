package dev.panode.cli.serve;

import org.eclipse.jetty.server.Request;

/**
 * Fairness of inline solves among the connections of one selector thread. After answering a request, Jetty's
 * HTTP/1.1 connection reads the next one at once if the client has already sent it; a client that always has its
 * next request waiting (pipelining, or a load generator at saturation) would keep the selector solving for it alone,
 * and the selector's other connections would not be read meanwhile. So each connection gets turns: its requests run
 * inline while they keep arriving within {@link #HOT_NANOS} of its previous inline solve's end for at most
 * {@link #TURN_NANOS}; then one request goes to the pool, the selector moves on, and a new turn begins. A connection
 * that pauses between requests (the usual case below saturation) starts a new turn with every request.
 *
 * <p>So a selector's other connections wait at most one turn plus one inline solve (a bounded, small solve:
 * {@link Computations#solveInline}) for a greedy connection, while at saturation only about one request per turn
 * pays the hand-off to a worker (a wake-up and two context switches) instead of every one.
 */
final class InlineTurns {
    /** A request that arrives this soon after the connection's previous inline solve ended was already waiting. */
    static final long HOT_NANOS = 200_000;
    /** Longest run of back-to-back inline requests of one connection before one of them yields. */
    static final long TURN_NANOS = 500_000;

    private static final String KEY = InlineTurns.class.getName();

    private long lastEnd = Long.MIN_VALUE;
    private long turnStart;

    /** The state of the request's connection (one per connection, kept in its attributes). */
    static InlineTurns of(Request request) {
        var meta = request.getConnectionMetaData();
        if (meta.getAttribute(KEY) instanceof InlineTurns t) return t;
        InlineTurns t = new InlineTurns();
        meta.setAttribute(KEY, t);
        return t;
    }

    /**
     * Whether a request arriving at {@code arrivalNanos} must yield to the other connections (go to the pool): its
     * connection's turn is over. A yield ends the turn, so the connection's next request starts a new one. Requests
     * of one connection arrive one after another (HTTP/1.1), so this state needs no synchronisation beyond Jetty's
     * hand-over of the connection between threads.
     */
    synchronized boolean hadTurn(long arrivalNanos) {
        if (lastEnd == Long.MIN_VALUE || arrivalNanos - lastEnd >= HOT_NANOS) {
            turnStart = arrivalNanos;
            return false;
        }
        if (arrivalNanos - turnStart < TURN_NANOS) return false;
        lastEnd = Long.MIN_VALUE;
        return true;
    }

    /** An inline solve on this connection ended. */
    synchronized void ended(long nanos) {
        lastEnd = nanos;
    }
}
