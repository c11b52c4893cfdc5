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

    @Test
    void productsAndSumsSaturateAndRefuseNegativeSizes() {
        assertEquals(24, HeapCheck.doubles(2, 3, 4));
        assertEquals(120, HeapCheck.doubles(2, 3, 4, 5));
        assertEquals(0, HeapCheck.doubles(Long.MAX_VALUE, Long.MAX_VALUE, 0), "a zero size after a saturated product");
        assertEquals(Long.MAX_VALUE, HeapCheck.doubles(1L << 40, 1L << 30, 1));
        assertEquals(Long.MAX_VALUE, HeapCheck.sum(Long.MAX_VALUE - 1, 2));
        assertEquals(5, HeapCheck.sum(2, 3));
        assertEquals("sizes must be >= 0, got -2",
                assertThrows(IllegalArgumentException.class, () -> HeapCheck.doubles(3, -2, 1)).getMessage());
        assertEquals("sizes must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> HeapCheck.doubles(-1, 2)).getMessage());
    }
}
