package dev.panode.adjoint.gradients;

/**
 * Griewank's binomial checkpointing ("revolve") for reversing a chain of n steps with s checkpoint slots, offline:
 * n is known when the reversal starts.
 *
 * <p>Convention: the s slots include the one that holds the initial state y_0. With s slots and at most r forward
 * recomputations of any step, β(s, r) = C(s + r, s) steps can be reversed, and the least total number of forward
 * steps executed by the reversal (the first forward sweep included) is
 * <pre>  T(n, s) = r·n − β(s + 1, r − 1),   with r the least integer such that β(s, r) ≥ n </pre>
 * (Griewank, "Achieving logarithmic growth of temporal and spatial complexity in reverse automatic
 * differentiation", 1992; Griewank &amp; Walther, ACM TOMS 26, 2000). {@link #run} attains it: it splits the chain
 * at a point m with β(s, r−2) ≤ m ≤ β(s, r−1) and β(s−1, r−1) ≤ n − m ≤ β(s−1, r), which makes the two halves'
 * costs add up to T(n, s) exactly (by Pascal's rule).
 *
 * <p>Slots are used as a stack: slot 0 holds y_0, slot d the checkpoint at recursion depth d, so the recursion is at
 * most s deep (callers cap s; a few thousand slots already reverse millions of steps with r = 2). The schedule
 * allocates one small object per run (none on a runner the caller keeps) and nothing per step.
 *
 * <p>When not to use: when memory for all n states is available ({@link Checkpointing#all()}), recomputation is
 * pure waste; when n is unknown during the forward pass the forward sweep is repeated (see
 * {@link #run(int, int, Actions, boolean)}).
 */
public final class Revolve {
    private Revolve() {}

    /** The actions a reversal needs from its host: it owns one working state and the slots. */
    public interface Actions {
        /** Copy the working state (which is the state at {@code step}) into {@code slot}. */
        void store(int slot, int step);

        /** Load the state at {@code step} from {@code slot} into the working state. */
        void restore(int slot, int step);

        /** Advance the working state from {@code fromStep} to {@code toStep} by recomputing forward steps. */
        void advance(int fromStep, int toStep);

        /**
         * Reverse step {@code step} (from state {@code step} to {@code step + 1}); the working state holds the state
         * at {@code step} on entry and is undefined afterwards.
         */
        void reverse(int step);
    }

    /** β(s, r) = C(s + r, s), saturating at {@link Long#MAX_VALUE}; 0 for r &lt; 0. */
    public static long beta(int s, int r) {
        if (s < 0) throw new IllegalArgumentException("s must be >= 0, got " + s);
        if (r < 0) return 0;
        long acc = 1;
        int k = Math.min(s, r);
        int top = s + r;
        for (int i = 1; i <= k; i++) {
            // acc = C(top - k + i, i), exact at every step
            long num = top - k + i;
            if (acc > Long.MAX_VALUE / num) return Long.MAX_VALUE;
            acc = acc * num / i;
        }
        return acc;
    }

    /** The least r ≥ 0 with β(s, r) ≥ n: the repetition number of a chain of n steps with s slots (s ≥ 1). */
    public static int repetitions(long n, int s) {
        checkArgs(n, s);
        int r = 0;
        while (beta(s, r) < n) r++;
        return r;
    }

    /** T(n, s): the least number of forward steps that reversing n steps with s slots needs (sweep included). */
    public static long minimalForwardSteps(long n, int s) {
        checkArgs(n, s);
        if (n == 0) return 0;
        int r = repetitions(n, s);
        return r * n - beta(s + 1, r - 1);
    }

    /**
     * The split point m of a chain of n ≥ 2 steps with s ≥ 2 slots: advance m steps, checkpoint, reverse the right
     * part with s − 1 slots, then the left part with s slots.
     */
    static int split(int n, int s) {
        int r = repetitions(n, s);
        long m = Math.min(beta(s, r - 1), n - beta(s - 1, r - 1));
        return (int) m;
    }

    /**
     * Runs the schedule for n steps and s slots (slot 0 must already hold the state at step 0).
     *
     * @return the number of forward steps advanced; equals {@link #minimalForwardSteps}
     */
    public static long run(int n, int s, Actions actions) {
        return run(n, s, actions, false);
    }

    /**
     * Runs the schedule; with {@code forwardSweepDone}, the actions of the first forward sweep (every store,
     * restore and advance before the first reversal) are skipped, because the forward pass already stored the
     * checkpoints {@link #firstSweepCheckpoints} lists and left the state at step n − 1 in the working state.
     *
     * @return the number of forward steps advanced (recomputed)
     */
    public static long run(int n, int s, Actions actions, boolean forwardSweepDone) {
        return run(n, s, actions, forwardSweepDone, new Runner());
    }

    /**
     * {@link #run(int, int, Actions, boolean)} on a runner the caller keeps, so that a gradient session runs the
     * schedule without allocating.
     */
    static long run(int n, int s, Actions actions, boolean forwardSweepDone, Runner runner) {
        checkArgs(n, s);
        if (actions == null) throw new IllegalArgumentException("actions must be non-null");
        runner.begin(actions, forwardSweepDone);
        try {
            runner.reverse(0, n, s, 0);
            return runner.advanced;
        } finally {
            runner.actions = null;
        }
    }

    /**
     * The steps whose states the first forward sweep stores, in slot order starting at slot 1 (slot 0 holds step 0):
     * a forward pass that stores exactly these and keeps the state at step n − 1 lets the reversal skip its sweep.
     */
    public static int[] firstSweepCheckpoints(int n, int s) {
        checkArgs(n, s);
        int count = 0;
        int start = 0;
        int len = n;
        int slots = s;
        int[] tmp = new int[Math.max(1, s)];
        while (len > 1 && slots > 1) {
            int m = split(len, slots);
            start += m;
            len -= m;
            slots--;
            if (len > 1) tmp[count++] = start;
        }
        return java.util.Arrays.copyOf(tmp, count);
    }

    private static void checkArgs(long n, int s) {
        if (n < 0) throw new IllegalArgumentException("n (steps) must be >= 0, got " + n);
        if (s < 1) throw new IllegalArgumentException("s (checkpoint slots, y0's included) must be >= 1, got " + s);
    }

    /** The state of one run of the schedule; reusable from one run to the next. */
    static final class Runner {
        private Actions actions;
        private boolean sweeping;
        private int current;
        private long advanced;

        void begin(Actions actions, boolean sweeping) {
            this.actions = actions;
            this.sweeping = sweeping;
            this.current = -1;
            this.advanced = 0;
        }

        /** Reverses steps [start, start + n) with s slots, the state at start being in {@code slot}. */
        void reverse(int start, int n, int s, int slot) {
            while (n > 0) {
                if (n == 1) {
                    moveTo(slot, start);
                    doReverse(start);
                    return;
                }
                if (s == 1) {
                    for (int i = n - 1; i >= 0; i--) {
                        moveTo(slot, start);
                        advance(start, start + i);
                        doReverse(start + i);
                    }
                    return;
                }
                int m = split(n, s);
                moveTo(slot, start);
                advance(start, start + m);
                if (n - m == 1) {
                    doReverse(start + m);
                } else {
                    if (!sweeping) actions.store(slot + 1, start + m);
                    reverse(start + m, n - m, s - 1, slot + 1);
                }
                n = m;
            }
        }

        private void moveTo(int slot, int step) {
            if (sweeping || current == step) return;
            actions.restore(slot, step);
            current = step;
        }

        private void advance(int from, int to) {
            if (to == from) return;
            current = to;
            if (sweeping) return;
            actions.advance(from, to);
            advanced += to - from;
        }

        private void doReverse(int step) {
            sweeping = false;
            actions.reverse(step);
            current = -1;
        }
    }
}
