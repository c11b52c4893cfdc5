package dev.panode.cli.serve;

import org.eclipse.jetty.server.Request;

/**
 * Fairness of inline solves among the connections of one selector thread. After answering a request, Jetty's
 * HTTP/1.1 connection reads the next one at once if the client has already sent it (pipelining); a client that always
 * has its next request waiting would keep the selector solving for it alone, and the selector's other connections
 * would not be read meanwhile. So a thread counts how long it has been serving one connection's requests back to back
 * (each arriving within {@link #HOT_NANOS} of the previous one's end, with no other connection's request in between);
 * once that run has held the thread for {@link #TURN_NANOS}, the connection's next request goes to the pool and the
 * selector moves on. Requests of different connections interleaved on a thread (the usual case under load: the
 * selector takes its ready connections in turn) and requests after a pause never yield.
 *
 * <p>So a selector's other connections wait at most one turn plus one inline solve (a bounded, small solve:
 * {@link Computations#solveInline}) for a greedy connection, and a selector serving many connections at saturation
 * does not send requests to the pool for fairness's sake (each hand-off costs a wake-up and two context switches, and
 * a request on the pool holds a solver slot, which sends the following requests to the pool too).
 */
final class InlineTurns {
    /** A request that arrives this soon after the connection's previous inline solve ended was already waiting. */
    static final long HOT_NANOS = 200_000;
    /** Longest time a thread serves one connection's back-to-back requests before one of them yields. */
    static final long TURN_NANOS = 500_000;

    private static final String KEY = InlineTurns.class.getName();

    /** A thread's current run of one connection's back-to-back inline requests. */
    private static final class Run {
        InlineTurns connection;
        long held;
    }

    private static final ThreadLocal<Run> RUN = ThreadLocal.withInitial(Run::new);

    /** When this connection's last inline solve ended; written and read by the thread serving its request. */
    private volatile long lastEnd = Long.MIN_VALUE;

    /** The state of the request's connection (one per connection, kept in its attributes). */
    static InlineTurns of(Request request) {
        var meta = request.getConnectionMetaData();
        if (meta.getAttribute(KEY) instanceof InlineTurns t) return t;
        InlineTurns t = new InlineTurns();
        meta.setAttribute(KEY, t);
        return t;
    }

    /**
     * Whether a request of this connection arriving at {@code arrivalNanos} on the calling thread must yield to the
     * other connections (go to the pool). A yield ends the run.
     */
    boolean hadTurn(long arrivalNanos) {
        Run run = RUN.get();
        boolean hot = lastEnd != Long.MIN_VALUE && arrivalNanos - lastEnd < HOT_NANOS;
        if (run.connection != this || !hot) {
            run.connection = this;
            run.held = 0;
            return false;
        }
        if (run.held < TURN_NANOS) return false;
        run.connection = null;
        run.held = 0;
        lastEnd = Long.MIN_VALUE;
        return true;
    }

    /** An inline solve of this connection, begun at {@code startNanos}, ended now ({@code endNanos}) on this thread. */
    void ended(long startNanos, long endNanos) {
        lastEnd = endNanos;
        Run run = RUN.get();
        if (run.connection == this) run.held += endNanos - startNanos;
    }
}
