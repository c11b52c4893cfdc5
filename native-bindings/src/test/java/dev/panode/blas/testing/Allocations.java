package dev.panode.blas.testing;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Heap-allocation assertions shared by every module's tests: what a call allocates on the Java heap once the JIT has
 * compiled it (via {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}).
 *
 * <p>A single measured window is not robust on a loaded machine: until C2 has compiled the Vector API and FFM code,
 * its vectors and segments are real objects, and compilation can lag by many seconds when the compiler threads share
 * two cores with other builds. So each assertion warms up, then measures windows of {@code calls} calls repeatedly
 * until one window meets the target or {@link #BOUND} passes (pausing briefly between windows so the compiler threads
 * get the CPU). An allocation that is really in the code shows in every window and still fails; the failure message
 * gives the last window's bytes per call and the least window seen.
 *
 * <p>Published to the other modules as native-bindings' test-jar.
 */
public final class Allocations {
    /** How long windows are measured before an assertion fails. */
    public static final Duration BOUND = Duration.ofSeconds(30);
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
     * @param leastBytes     the least bytes any window allocated
     * @param lastBytes      the bytes the last window allocated
     * @param met            whether a window met the target
     */
    public record Measurement(int callsPerWindow, int windows, long leastBytes, long lastBytes, boolean met) {
        /** Bytes per call of the last window. */
        public double lastBytesPerCall() {
            return (double) lastBytes / callsPerWindow;
        }

        @Override
        public String toString() {
            return String.format("last window %d bytes over %d calls (%.1f bytes per call), least window %d bytes, "
                    + "%d windows", lastBytes, callsPerWindow, lastBytesPerCall(), leastBytes, windows);
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
     * {@code targetBytes} bytes in total or {@code bound} passes.
     */
    public static Measurement measure(Runnable call, int warmUpCalls, int callsPerWindow, long targetBytes,
                                      Duration bound) {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM does not measure per-thread allocation");
        }
        for (int i = 0; i < warmUpCalls; i++) call.run();
        long deadline = System.nanoTime() + bound.toNanos();
        long least = Long.MAX_VALUE, last;
        int windows = 0;
        while (true) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < callsPerWindow; i++) call.run();
            last = THREADS.getCurrentThreadAllocatedBytes() - before;
            windows++;
            least = Math.min(least, last);
            if (last <= targetBytes) return new Measurement(callsPerWindow, windows, least, last, true);
            if (System.nanoTime() - deadline > 0) return new Measurement(callsPerWindow, windows, least, last, false);
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

    /** {@link #assertSameBytes(String, Runnable, Runnable, int, int)} with windows measured for at most {@code bound}. */
    public static void assertSameBytes(String what, Runnable shorter, Runnable longer, int warmUpCalls, int calls,
                                       Duration bound) {
        long[] gap = {0};
        Runnable pair = () -> {
            long a = 0, b = 0;
            for (int i = 0; i < calls; i++) a += allocatedBy(shorter);
            for (int i = 0; i < calls; i++) b += allocatedBy(longer);
            gap[0] = Math.abs(b - a);
        };
        for (int i = 0; i < warmUpCalls; i++) {
            shorter.run();
            longer.run();
        }
        long deadline = System.nanoTime() + bound.toNanos();
        long least = Long.MAX_VALUE;
        int windows = 0;
        while (true) {
            pair.run();
            windows++;
            least = Math.min(least, gap[0]);
            if (gap[0] == 0) return;
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(String.format("%s: the longer run allocates %d bytes more or less over %d "
                        + "calls (%.1f bytes per call) in the last window, least gap %d bytes, %d windows", what,
                        gap[0], calls, (double) gap[0] / calls, least, windows));
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }
}
