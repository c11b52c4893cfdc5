package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Buffers larger than the heap are refused before allocation, naming the bytes needed and the heap's maximum. */
class HeapCheckTest {

    @Test
    void saveTimesTimesStatesLargerThanTheHeapAreAnInvalidArgument() {
        int rows = 100_000;
        double[] y0 = new double[2 * rows];
        double[] times = new double[200_000];
        for (int i = 0; i < times.length; i++) times[i] = (i + 1) * 1e-6;
        SolveOptions o = SolveOptions.builder().saveAt(SaveAt.times(times)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Solver.solve(Problems.VAN_DER_POL, y0, rows, 0, 1, RungeKutta.dopri5(), o));
        String m = e.getMessage();
        assertTrue(m.startsWith("INVALID_ARGUMENT: ") && m.contains("200000 save times")
                && m.contains(Long.toString(Runtime.getRuntime().maxMemory())) && m.contains("bytes"), m);
        Solution s = Solver.solve(Problems.VAN_DER_POL, y0, rows, 0, 1, RungeKutta.dopri5(),
                o.toBuilder().throwOnFailure(false).build());
        assertEquals(Result.INVALID_ARGUMENT, s.result());
    }

    @Test
    void theCheckNamesWhatAndBothSizes() {
        long max = Runtime.getRuntime().maxMemory();
        HeapCheck.require("a small buffer", 1000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeapCheck.require("a huge buffer", max / 8 + 1));
        assertTrue(e.getMessage().startsWith("a huge buffer needs " + 8 * (max / 8 + 1) + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("Runtime.maxMemory() = " + max), e.getMessage());
        IllegalArgumentException overflow = assertThrows(IllegalArgumentException.class,
                () -> HeapCheck.require("an absurd buffer", Long.MAX_VALUE));
        assertTrue(overflow.getMessage().contains("an absurd buffer"), overflow.getMessage());
        assertEquals(Long.MAX_VALUE, HeapCheck.doubles(Long.MAX_VALUE / 2, 3), "products saturate, never wrap");
    }
}
