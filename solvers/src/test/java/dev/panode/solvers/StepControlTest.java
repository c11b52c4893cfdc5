package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The stepping core's rules one by one, without a method or a field: the ratios are given. */
class StepControlTest {
    private static final double[] NONE = new double[0];

    private static StepControl control(SolveOptions o) {
        return new StepControl().configure(o.controller(), 4, o);
    }

    @Test
    void aFixedStepWalksTheGridAndLandsExactlyOnT1() {
        StepControl c = control(SolveOptions.builder().dt(0.3).build());
        c.start(0.0, 1.0, 0.3, NONE);
        double[] ends = {0.3, 0.6, 0.3 * 3, 1.0};
        for (double end : ends) {
            assertTrue(c.running() && c.propose());
            assertEquals(end, c.tNew(), 0.0);
            assertEquals(c.tNew() - c.t(), c.hStep(), 0.0);
            assertTrue(c.decide(0.0));
        }
        assertFalse(c.running());
        assertEquals(Result.SUCCESSFUL, c.result());
        assertEquals(4, c.accepted());

        c.start(0.0, 1.0, 0.1, NONE); // ten steps: the tenth grid point is within rounding of t1 and lands on it
        int n = 0;
        while (c.running() && c.propose()) {
            c.decide(0.0);
            n++;
        }
        assertEquals(10, n);
        assertEquals(1.0, c.t(), 0.0);
    }

    @Test
    void aNonFiniteFixedStepFailsAtOnce() {
        StepControl c = control(SolveOptions.builder().steps(4).build());
        c.start(0.0, 1.0, 0.25, NONE);
        assertTrue(c.propose());
        assertFalse(c.decide(Double.NaN));
        assertEquals(Result.NONFINITE_STATE, c.result());
        assertTrue(c.message().contains("fixed step h = 0.25"), c.message());
        assertEquals(0, c.accepted() + c.rejected());
    }

    @Test
    void anAdaptiveStepLandsOnTstopsAndThenResumesTheProposalItReplaced() {
        StepControl c = control(SolveOptions.builder().build());
        c.start(0.0, 1.0, 0.3, new double[] {0.4});
        assertTrue(c.propose());
        assertEquals(0.3, c.tNew(), 0.0);
        assertTrue(c.decide(0.9)); // IController: max(0.9 / 0.9^(1/5), 1) = 1, h stays 0.3
        assertTrue(c.propose());
        assertEquals(0.4, c.tNew(), 0.0);
        assertEquals(0.4 - 0.3, c.hStep(), 0.0);
        assertTrue(c.decide(0.9));
        assertTrue(c.propose());
        assertEquals(0.4 + 0.3, c.tNew(), 1e-15, "the 0.3 that the landing replaced, not the landing's 0.1");
    }

    @Test
    void theTorchdiffeqConventionStepsPastT1ButNotPastTstops() {
        SolveOptions o = SolveOptions.builder().torchdiffeqCompatible(true).build();
        StepControl c = control(o);
        c.start(0.0, 1.0, 0.6, new double[] {0.2});
        assertTrue(c.propose());
        assertEquals(0.2, c.tNew(), 0.0);
        assertTrue(c.decide(0.9));
        assertTrue(c.propose());
        assertEquals(0.4, c.tNew(), 1e-15, "continues from the shortened step");
        assertTrue(c.decide(0.9));
        c.start(0.0, 1.0, 0.6, NONE);
        c.propose();
        c.decide(0.9);
        assertTrue(c.propose());
        assertEquals(1.2, c.tNew(), 1e-15, "past t1");
        assertTrue(c.decide(0.9));
        assertEquals(Result.SUCCESSFUL, c.result());
    }

    @Test
    void stepBoundsAndStepBudget() {
        StepControl c = control(SolveOptions.builder().dtMin(0.01).dtMax(0.2).build());
        c.start(0.0, 1.0, 0.5, NONE);
        assertTrue(c.propose());
        assertEquals(0.2, c.hStep(), 0.0, "clipped to dtMax");
        assertFalse(c.decide(1e6)); // rejected, the controller cuts by 0.2 to 0.04
        assertNull(c.result());
        assertTrue(c.propose());
        assertFalse(c.decide(1e6)); // 0.04 · 0.2 < dtMin
        assertEquals(Result.DT_MIN_REACHED, c.result());
        assertTrue(c.message().contains("< dtMin = 0.01"), c.message());

        c = control(SolveOptions.builder().maxSteps(2).build());
        c.start(0.0, 1.0, 0.1, NONE);
        for (int i = 0; i < 2; i++) {
            assertTrue(c.propose());
            c.decide(0.5);
        }
        assertFalse(c.propose());
        assertEquals(Result.MAX_STEPS_REACHED, c.result());
        assertTrue(c.message().startsWith("reached maxSteps = 2"), c.message());
    }

    @Test
    void nonFiniteAttemptsAreCutUntilTheLimit() {
        StepControl c = control(SolveOptions.builder().build());
        c.start(0.0, 1.0, 0.5, NONE);
        for (int i = 1; i < StepControl.MAX_NONFINITE_REJECTIONS; i++) {
            assertTrue(c.propose());
            assertFalse(c.decide(Double.NaN));
            assertNull(c.result(), "cut " + i);
        }
        assertTrue(c.propose());
        assertFalse(c.decide(Double.NaN));
        assertEquals(Result.NONFINITE_STATE, c.result());
        assertTrue(c.message().contains("after 40 step-size cuts"), c.message());
        assertEquals(StepControl.MAX_NONFINITE_REJECTIONS, c.rejected());
    }
}
