package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RevolveTest {

    /** Brute-force optimum: F(n, s) = min over m of m + F(n − m, s − 1) + F(m, s); F(1, s) = 0; F(n, 1) = n(n−1)/2. */
    private static long[][] bruteForce(int maxN, int maxS) {
        long[][] f = new long[maxN + 1][maxS + 1];
        for (int s = 1; s <= maxS; s++) {
            for (int n = 2; n <= maxN; n++) {
                if (s == 1) {
                    f[n][s] = (long) n * (n - 1) / 2;
                    continue;
                }
                long best = Long.MAX_VALUE;
                for (int m = 1; m < n; m++) best = Math.min(best, m + f[n - m][s - 1] + f[m][s]);
                f[n][s] = best;
            }
        }
        return f;
    }

    /** Simulates a chain whose "state" is the step index and checks every action against it. */
    private static final class Simulator implements Revolve.Actions {
        final int n;
        final int s;
        final int[] slots;
        final int[] forwardCount;
        int working;
        int nextToReverse;
        long advanced;

        Simulator(int n, int s) {
            this.n = n;
            this.s = s;
            this.slots = new int[s];
            Arrays.fill(slots, -1);
            slots[0] = 0;
            this.forwardCount = new int[Math.max(n, 1)];
            this.working = -1;
            this.nextToReverse = n - 1;
        }

        @Override public void store(int slot, int step) {
            assertTrue(slot > 0 && slot < s, "slot " + slot + " within 1.." + (s - 1));
            assertEquals(step, working, "stores the working state");
            slots[slot] = step;
        }

        @Override public void restore(int slot, int step) {
            assertEquals(step, slots[slot], "slot " + slot + " holds step " + step);
            working = step;
        }

        @Override public void advance(int from, int to) {
            assertEquals(from, working);
            assertTrue(to > from && to < n);
            for (int i = from; i < to; i++) forwardCount[i]++;
            advanced += to - from;
            working = to;
        }

        @Override public void reverse(int step) {
            assertEquals(nextToReverse, step, "steps are reversed from last to first");
            assertEquals(step, working, "working state is the state at the reversed step");
            nextToReverse--;
            working = -1;
        }
    }

    @Test
    void betaIsTheBinomialCoefficient() {
        assertEquals(1, Revolve.beta(3, 0));
        assertEquals(4, Revolve.beta(3, 1));
        assertEquals(10, Revolve.beta(3, 2));
        assertEquals(20, Revolve.beta(3, 3));
        assertEquals(184756, Revolve.beta(10, 10));
        assertEquals(0, Revolve.beta(4, -1));
        assertEquals(Long.MAX_VALUE, Revolve.beta(200, 200));
    }

    @Test
    void closedFormAndScheduleEqualTheBruteForceOptimum() {
        int maxN = 60;
        int maxS = 7;
        long[][] f = bruteForce(maxN, maxS);
        for (int s = 1; s <= maxS; s++) {
            for (int n = 1; n <= maxN; n++) {
                assertEquals(f[n][s], Revolve.minimalForwardSteps(n, s), "closed form n=" + n + " s=" + s);
                Simulator sim = new Simulator(n, s);
                long advanced = Revolve.run(n, s, sim);
                assertEquals(-1, sim.nextToReverse, "all steps reversed, n=" + n + " s=" + s);
                assertEquals(f[n][s], advanced, "schedule cost n=" + n + " s=" + s);
                assertEquals(f[n][s], sim.advanced);
            }
        }
    }

    @Test
    void noStepIsRecomputedMoreThanTheRepetitionNumber() {
        for (int s = 1; s <= 6; s++) {
            for (int r = 1; r <= 4; r++) {
                long nMax = Revolve.beta(s, r);
                if (nMax > 3000) continue;
                int n = (int) nMax;
                Simulator sim = new Simulator(n, s);
                Revolve.run(n, s, sim);
                int worst = Arrays.stream(sim.forwardCount).max().orElse(0);
                assertTrue(worst <= r, "n=β(" + s + "," + r + ")=" + n + ": a step was advanced " + worst + " times");
                assertEquals(r, Revolve.repetitions(n, s));
                assertEquals(r + 1, Revolve.repetitions(n + 1, s));
            }
        }
    }

    @Test
    void largeChainsStayCheapAndCorrect() {
        int n = 10_000;
        for (int s : new int[] {2, 8, 40, 141}) {
            Simulator sim = new Simulator(n, s);
            long advanced = Revolve.run(n, s, sim);
            assertEquals(Revolve.minimalForwardSteps(n, s), advanced);
            assertEquals(-1, sim.nextToReverse);
        }
        // √(2n) slots give about two repetitions: at most two extra sweeps.
        assertTrue(Revolve.minimalForwardSteps(n, 141) <= 2L * n);
    }

    @Test
    void skippingTheFirstSweepSavesExactlyTheSweep() {
        for (int s = 1; s <= 6; s++) {
            for (int n = 1; n <= 50; n++) {
                int[] stored = Revolve.firstSweepCheckpoints(n, s);
                assertTrue(stored.length <= s - 1);
                Simulator sim = new Simulator(n, s);
                for (int i = 0; i < stored.length; i++) sim.slots[i + 1] = stored[i];
                sim.working = n - 1;
                long advanced = Revolve.run(n, s, sim, true);
                assertEquals(-1, sim.nextToReverse);
                assertEquals(Revolve.minimalForwardSteps(n, s) - (n - 1), advanced, "n=" + n + " s=" + s);
            }
        }
        assertArrayEquals(new int[] {1, 2, 3}, Revolve.firstSweepCheckpoints(5, 4));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Revolve.minimalForwardSteps(5, 0));
        assertThrows(IllegalArgumentException.class, () -> Revolve.run(-1, 3, new Simulator(1, 3)));
    }
}
