package dev.panode.blas.testing;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * Heap-allocation assertions shared by every module's tests: what a call allocates on the Java heap once the JIT has
 * compiled it (via {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}).
 *
 * <p>A single measured window is not robust on a loaded machine: until C2 has compiled the Vector API and FFM code,
 * its vectors and segments are real objects, and C2's compiles can lag by a minute when its threads share two cores
 * with other builds. So each assertion warms up, then measures windows of {@code calls} calls repeatedly (pausing
 * briefly between windows so the compiler threads get the CPU) and passes as soon as one window meets the target
 * exactly. It fails only once {@link #BOUND} has passed and the JIT has been idle (nothing compiling or queued, no
 * compile finished) for {@link #QUIET_WINDOWS} windows and at least {@link #QUIET}: what the code allocates then is
 * what it allocates for good. While the JIT keeps compiling, windows go on for at most {@link #JIT_WAIT} more. An
 * allocation that is really in the code shows in every window and still fails; the failure message gives the last
 * window's bytes per call, the least window seen and whether the JIT was idle.
 *
 * <p>Published to the other modules as native-bindings' test-jar.
 */
public final class Allocations {
    /** How long windows are measured at least before an assertion fails. */
    public static final Duration BOUND = Duration.ofSeconds(30);
    /** How long the JIT must have been idle, over at least {@link #QUIET_WINDOWS} windows, for a failure. */
    public static final Duration QUIET = Duration.ofSeconds(1);
    /** Consecutive windows with the JIT idle before a failure. */
    public static final int QUIET_WINDOWS = 3;
    /** How much longer than the bound windows are measured while the JIT is still compiling. */
    public static final Duration JIT_WAIT = Duration.ofSeconds(90);
    /** Default warm-up calls and calls per window of {@link #assertNoAllocation(String, Runnable)}. */
    public static final int WARM_UP_CALLS = 20_000, CALLS_PER_WINDOW = 2_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /**
     * The outcome of a measurement.
     *
     * @param callsPerWindow calls in each measured window
     * @param windows        windows measured
     * @param leastBytes     the least bytes any window allocated (or the least difference of {@link #repeat})
     * @param lastBytes      the bytes the last window allocated
     * @param met            whether a window met the target
     * @param jitIdle        whether a failed measurement ended with the JIT idle (false when it was still compiling,
     *                       and when a window met the target)
     * @param millis         how long the windows took, in milliseconds
     */
    public record Measurement(int callsPerWindow, int windows, long leastBytes, long lastBytes, boolean met,
                              boolean jitIdle, long millis) {
        /** Bytes per call of the last window. */
        public double lastBytesPerCall() {
            return (double) lastBytes / callsPerWindow;
        }

        @Override
        public String toString() {
            return String.format("last window %d bytes over %d calls (%.1f bytes per call), least window %d bytes, "
                    + "%d windows in %.1f s, %s", lastBytes, callsPerWindow, lastBytesPerCall(), leastBytes, windows,
                    millis / 1e3, met ? "met" : jitIdle ? "the JIT idle" : "the JIT still compiling");
        }
    }

    /** Bytes this thread allocates while {@code body} runs. */
    public static long allocatedBy(Runnable body) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        body.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /** Bytes {@code thread} has allocated since it started (a worker's share of a parallel call: take the difference). */
    public static long allocatedSoFar(Thread thread) {
        return THREADS.getThreadAllocatedBytes(thread.threadId());
    }

    /**
     * Runs {@code warmUpCalls} calls, then windows of {@code callsPerWindow} calls until one allocates at most
     * {@code targetBytes} bytes in total or {@link #repeat} gives up.
     */
    public static Measurement measure(Runnable call, int warmUpCalls, int callsPerWindow, long targetBytes,
                                      Duration bound) {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM does not measure per-thread allocation");
        }
        for (int i = 0; i < warmUpCalls; i++) call.run();
        Runnable window = () -> {
            for (int i = 0; i < callsPerWindow; i++) call.run();
        };
        return repeat(callsPerWindow, () -> allocatedBy(window), bytes -> bytes <= targetBytes, bound);
    }

    /**
     * Measures windows ({@code window} runs {@code callsPerWindow} calls and returns the bytes it counted, or a
     * difference of bytes) until {@code met} accepts one; gives up once {@code bound} has passed and the JIT has been
     * idle for {@link #QUIET_WINDOWS} windows and {@link #QUIET}, or once {@code bound} and {@link #JIT_WAIT} have
     * passed. Pauses 20 ms between windows so that the compiler threads get the CPU on a loaded machine.
     */
    public static Measurement repeat(int callsPerWindow, LongSupplier window, LongPredicate met, Duration bound) {
        long start = System.nanoTime();
        long earliestFailure = start + bound.toNanos(), latestFailure = earliestFailure + JIT_WAIT.toNanos();
        long least = Long.MAX_VALUE, idleSince = 0;
        int windows = 0, idleWindows = 0;
        while (true) {
            long windowStart = System.nanoTime(), compiled = JitActivity.compilationMillis();
            long last = window.getAsLong();
            windows++;
            least = Math.min(least, last);
            long now = System.nanoTime();
            if (met.test(last)) return new Measurement(callsPerWindow, windows, least, last, true, false,
                    (now - start) / 1_000_000);
            if (now - earliestFailure >= 0) {
                boolean idle = JitActivity.compilationMillis() == compiled && JitActivity.idle();
                if (!idle) {
                    idleWindows = 0;
                } else if (idleWindows++ == 0) {
                    idleSince = windowStart;
                }
                boolean settled = idleWindows >= QUIET_WINDOWS && now - idleSince >= QUIET.toNanos();
                if (settled || now - latestFailure >= 0) {
                    return new Measurement(callsPerWindow, windows, least, last, false, settled,
                            (now - start) / 1_000_000);
                }
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    /** Fails unless, after warm-up, a window of {@value #CALLS_PER_WINDOW} calls allocates 0 bytes. */
    public static void assertNoAllocation(String what, Runnable call) {
        assertNoAllocation(what, WARM_UP_CALLS, CALLS_PER_WINDOW, call);
    }

    /** Fails unless, after {@code warmUpCalls} calls, a window of {@code callsPerWindow} calls allocates 0 bytes. */
    public static void assertNoAllocation(String what, int warmUpCalls, int callsPerWindow, Runnable call) {
        Measurement m = measure(call, warmUpCalls, callsPerWindow, 0, BOUND);
        if (!m.met()) throw new AssertionError(what + " allocates on the heap after warm-up: " + m);
    }

    /** Fails unless, after warm-up, a window allocates at most {@code bytesPerCall} bytes per call; returns it. */
    public static Measurement assertAtMostPerCall(String what, double bytesPerCall, int warmUpCalls,
                                                  int callsPerWindow, Runnable call) {
        Measurement m = measure(call, warmUpCalls, callsPerWindow, (long) Math.floor(bytesPerCall * callsPerWindow),
                BOUND);
        if (!m.met()) {
            throw new AssertionError(what + " allocates more than " + bytesPerCall + " bytes per call: " + m);
        }
        return m;
    }

    /**
     * Fails unless {@code shorter} and {@code longer} (e.g. a solve of few and of many steps) allocate exactly the same
     * bytes in some pair of windows of {@code calls} calls each, after {@code warmUpCalls} calls of each: whatever
     * they allocate per call does not grow with the work done.
     */
    public static void assertSameBytes(String what, Runnable shorter, Runnable longer, int warmUpCalls, int calls) {
        assertSameBytes(what, shorter, longer, warmUpCalls, calls, BOUND);
    }

    /** {@link #assertSameBytes(String, Runnable, Runnable, int, int)} with the {@link #repeat} bound {@code bound}. */
    public static void assertSameBytes(String what, Runnable shorter, Runnable longer, int warmUpCalls, int calls,
                                       Duration bound) {
        for (int i = 0; i < warmUpCalls; i++) {
            shorter.run();
            longer.run();
        }
        Measurement m = repeat(calls, () -> {
            long a = 0, b = 0;
            for (int i = 0; i < calls; i++) a += allocatedBy(shorter);
            for (int i = 0; i < calls; i++) b += allocatedBy(longer);
            return Math.abs(b - a);
        }, gap -> gap == 0, bound);
        if (!m.met()) {
            throw new AssertionError(what + ": the longer run allocates more or less than the shorter one, the gap "
                    + "per window of both: " + m);
        }
    }
}
