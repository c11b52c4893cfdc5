package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Automatic stiffness switching (tsit5 → rodas5p): on stiff problems (Van der Pol ε = 1e-6, Robertson) it switches and
 * its evaluations come close to Rodas5P's alone, with the reference accuracy; on non-stiff problems it never switches
 * and is tsit5 step for step. The stability boundaries it tests against come from the tableaux.
 */
class AutoSwitchingTest {
    /** Counts the accepted steps taken by the implicit method and the switches between the two. */
    private static final class Switches implements StepObserver {
        OdeMethod last;
        int switches, implicitSteps, steps;

        @Override
        public void onAcceptedStep(StepView step) {
            OdeMethod m = step.method();
            if (last != null && m != last) switches++;
            if (!(m instanceof RungeKutta)) implicitSteps++;
            steps++;
            last = m;
        }
    }

    @Test
    void stabilityBoundariesFromTheTableaux() {
        assertEquals(3.3066, AutoSwitching.stabilityBoundary(RungeKutta.dopri5().tableau()), 1e-3);
        assertEquals(3.5068, AutoSwitching.stabilityBoundary(RungeKutta.tsit5().tableau()), 1e-3);
        assertEquals(2.7853, AutoSwitching.stabilityBoundary(RungeKutta.rk4().tableau()), 1e-3);
        assertEquals(2.0, AutoSwitching.stabilityBoundary(RungeKutta.euler().tableau()), 1e-9);
    }

    @Test
    void theBoundaryComputedAtFirstUseIsTheTableausBitForBit() {
        for (AutoSwitching m : new AutoSwitching[] {AutoSwitching.tsit5Rodas5p(), (AutoSwitching) Methods.byName("auto"),
                AutoSwitching.of(RungeKutta.dopri5(), Esdirk.kvaerno5()).withSwitching(0.5, 4, 2)}) {
            long expected = Double.doubleToRawLongBits(AutoSwitching.stabilityBoundary(m.explicitMethod().tableau()));
            assertEquals(expected, Double.doubleToRawLongBits(m.stabilityBoundary()), m.name());
            assertEquals(expected, Double.doubleToRawLongBits(m.stabilityBoundary()), m.name() + ", asked again");
        }
    }

    @Test
    void catalogueAndArguments() {
        OdeMethod auto = Methods.byName("auto");
        assertSame(auto, Methods.byName("tsit5-rodas5p"));
        assertEquals("tsit5-rodas5p", auto.name());
        assertEquals("tsit5-kvaerno5", AutoSwitching.of(RungeKutta.tsit5(), Esdirk.kvaerno5()).name());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AutoSwitching.of(RungeKutta.tsit5(), RungeKutta.dopri5())).getMessage()
                .contains("implicit must be an Esdirk or Rosenbrock method, got dopri5"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> AutoSwitching.tsit5Rodas5p().withSwitching(0, 10, 3)).getMessage()
                .contains("stiffFraction must be in (0, 1], got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Methods.rungeKutta("auto")).getMessage()
                .contains("a stiffness-switching method"));
    }

    private static void stiff(String name, VectorField f, double[] y0, double t1, double[] ref, double[] atol) {
        double rtol = 1e-6;
        for (OdeMethod implicit : new OdeMethod[] {Rosenbrock.rodas5p(), Esdirk.kvaerno5()}) {
            SolveOptions plain = SolveOptions.builder().rtol(rtol).atol(atol).maxSteps(200_000).build();
            Solution alone = Solver.solve(f, y0, 1, 0.0, t1, implicit, plain);
            Switches sw = new Switches();
            AutoSwitching auto = AutoSwitching.of(RungeKutta.tsit5(), implicit);
            Solution s = Solver.solve(f, y0, 1, 0.0, t1, auto,
                    SolveOptions.builder().rtol(rtol).atol(atol).maxSteps(200_000).observer(sw).build());
            double err = StiffProblems.maxRelativeError(s.lastState(), 0, ref);
            double errAlone = StiffProblems.maxRelativeError(alone.lastState(), 0, ref);
            System.out.printf("[AutoSwitchingTest] %s rtol %.0e: %s nfe %d steps %d (implicit %d, %d switches) "
                            + "Jacobians %d LUs %d, error %.2e; %s alone nfe %d steps %d, error %.2e%n", name, rtol,
                    auto.name(), s.stats().nfe(), sw.steps, sw.implicitSteps, sw.switches, s.stats().jacobians(),
                    s.stats().factorisations(), err, implicit.name(), alone.stats().nfe(), alone.stats().accepted(),
                    errAlone);
            assertTrue(sw.switches >= 1, name + ": switched to the implicit method");
            assertTrue(s.stats().nfe() <= 1.3 * alone.stats().nfe(), name + ": nfe " + s.stats().nfe() + " vs "
                    + alone.stats().nfe() + " for " + implicit.name() + " alone");
            assertTrue(err <= Math.max(10 * errAlone, 10 * rtol), name + ": error " + err);
            assertTrue(s.stats().jacobians() > 0 && s.stats().factorisations() > 0);
        }
    }

    @Test
    void vanDerPolSwitchesAndCostsAboutWhatTheImplicitMethodCosts() {
        stiff("VDPOL", StiffProblems.VDPOL, StiffProblems.VDPOL_Y0, 2.0, StiffProblems.VDPOL_REF,
                new double[] {1e-6, 1e-6});
    }

    @Test
    void robertsonSwitchesAndCostsAboutWhatTheImplicitMethodCosts() {
        stiff("ROBER", StiffProblems.ROBER, StiffProblems.ROBER_Y0, StiffProblems.ROBER_T1, StiffProblems.ROBER_REF,
                new double[] {1e-20, 1e-24, 1e-20});
    }

    @Test
    void nonStiffProblemsNeverSwitch() {
        // the Lotka–Volterra predator–prey cycle and a harmonic oscillator, over several periods
        VectorField lotka = (t, y, dy, rows, ws) -> {
            dy[0] = 1.5 * y[0] - y[0] * y[1];
            dy[1] = -3 * y[1] + y[0] * y[1];
        };
        VectorField oscillator = (t, y, dy, rows, ws) -> {
            dy[0] = y[1];
            dy[1] = -4 * y[0];
        };
        for (VectorField f : new VectorField[] {lotka, oscillator}) {
            for (double rtol : new double[] {1e-3, 1e-6, 1e-9}) {
                SolveOptions.Builder b = SolveOptions.builder().rtol(rtol).atol(rtol * 1e-2);
                Switches sw = new Switches();
                Solution auto = Solver.solve(f, new double[] {1, 1}, 1, 0, 30, AutoSwitching.tsit5Rodas5p(),
                        b.observer(sw).build());
                Solution tsit5 = Solver.solve(f, new double[] {1, 1}, 1, 0, 30, RungeKutta.tsit5(),
                        b.observer(null).build());
                assertEquals(0, sw.switches, "rtol " + rtol);
                assertEquals(0, sw.implicitSteps);
                assertEquals(tsit5.stats().nfe(), auto.stats().nfe(), "rtol " + rtol);
                assertEquals(tsit5.lastState()[0], auto.lastState()[0], 0.0);
                assertEquals(0, auto.stats().jacobians());
            }
        }
    }
}
