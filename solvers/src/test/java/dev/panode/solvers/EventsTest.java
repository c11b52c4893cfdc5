package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Terminating events: the bouncing ball's first impact t* = √(2h/g) with explicit and implicit methods, several
 * conditions (the earliest wins), directions, no event before t1, and the implicit-function-theorem gradient of a loss
 * of (t*, y(t*)) with respect to y0 and a parameter, against finite differences of whole event solves.
 */
class EventsTest {
    private static final double G = 9.81;

    /** Free fall: (height, velocity)' = (velocity, −g). */
    private static final VectorField FALL = new VectorField() {
        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                dy[2 * r] = y[2 * r + 1];
                dy[2 * r + 1] = -G;
            }
        }

        @Override
        public int dim() {
            return 2;
        }
    };

    private static final List<OdeMethod> METHODS = List.of(RungeKutta.dopri5(), RungeKutta.tsit5(), Esdirk.kvaerno5(),
            Rosenbrock.rodas5p());

    @Test
    void bouncingBallHitsTheGroundAtSqrtTwoHOverG() {
        double h = 10.0;
        double exact = Math.sqrt(2 * h / G);
        for (OdeMethod m : METHODS) {
            EventSolution e = Events.solve(FALL, new double[] {h, 0}, 1, 0, 10, m,
                    SolveOptions.builder().rtol(1e-8).atol(1e-10).build(),
                    Event.of((t, y) -> y[0], Event.Direction.FALLING));
            assertTrue(e.triggered(), m.name());
            assertEquals(0, e.condition());
            assertEquals(exact, e.time(), 1e-9, m.name() + ": t*");
            assertEquals(0.0, e.state()[0], 1e-8, m.name() + ": height at t*");
            assertEquals(-G * exact, e.state()[1], 1e-8, m.name() + ": velocity at t*");
            System.out.printf("[EventsTest] %s: t* = %.15f (exact %.15f), %d steps%n", m.name(), e.time(), exact, e.accepted());
        }
    }

    @Test
    void theTrajectoryUpToTheEventIsReturned() {
        double h = 10.0;
        double exact = Math.sqrt(2 * h / G);
        Event ground = Event.of((t, y) -> y[0], Event.Direction.FALLING);
        for (OdeMethod m : List.of(RungeKutta.dopri5(), Esdirk.kvaerno5(), Rosenbrock.rodas5p(),
                AutoSwitching.tsit5Rodas5p())) {
            // requested times before, inside the event's step and after the event
            EventSolution e = Events.solve(FALL, new double[] {h, 0}, 1, 0, 10, m,
                    SolveOptions.builder().rtol(1e-9).atol(1e-11).saveAt(0.5, 1.0, 1.4, 2.0, 3.0).build(), ground);
            Solution s = e.solution();
            assertEquals(4, s.size(), m.name() + ": three requested times before t*, then the event");
            double[] expected = {0.5, 1.0, 1.4, exact};
            for (int i = 0; i < 4; i++) {
                double ti = expected[i];
                assertEquals(ti, s.time(i), 1e-9, m.name() + " time " + i);
                assertEquals(h - 0.5 * G * ti * ti, s.state(i)[0], 1e-7, m.name() + " height at " + ti);
                assertEquals(-G * ti, s.state(i)[1], 1e-7, m.name() + " velocity at " + ti);
            }
            assertEquals(e.time(), s.time(3), 0.0);
            assertEquals(e.state()[0], s.state(3)[0], 0.0);
            // every step, then the event
            EventSolution steps = Events.solve(FALL, new double[] {h, 0}, 1, 0, 10, m,
                    SolveOptions.builder().rtol(1e-9).atol(1e-11).saveAt(SaveAt.steps()).build(), ground);
            Solution st = steps.solution();
            assertEquals(0.0, st.time(0), 0.0);
            assertEquals(steps.time(), st.time(st.size() - 1), 0.0, m.name());
            assertEquals(steps.accepted() + 1, st.size(), m.name() + ": y0, the steps before the event's, the event");
            // the end only: the event point
            EventSolution end = Events.solve(FALL, new double[] {h, 0}, 1, 0, 10, m,
                    SolveOptions.builder().rtol(1e-9).atol(1e-11).build(), ground);
            assertEquals(1, end.solution().size(), m.name());
            assertEquals(end.time(), end.solution().time(0), 0.0, m.name());
        }
    }

    @Test
    void theEarliestOfSeveralConditionsWinsAndDirectionsFilter() {
        double[] y0 = {10, 0};
        SolveOptions o = SolveOptions.builder().rtol(1e-9).atol(1e-11).build();
        // height falls to 0 at 1.428; velocity falls through −5 at 0.5097; height − 20 never; a rising height never
        Event event = new Event(List.of((t, y) -> y[0], (t, y) -> y[1] + 5, (t, y) -> y[0] - 20, (t, y) -> y[0] - 5),
                List.of(Event.Direction.FALLING, Event.Direction.BOTH, Event.Direction.BOTH, Event.Direction.RISING), 1e-12);
        for (OdeMethod m : METHODS) {
            EventSolution e = Events.solve(FALL, y0, 1, 0, 10, m, o, event);
            assertEquals(1, e.condition(), m.name());
            assertEquals(5 / G, e.time(), 1e-9, m.name());
            EventSolution later = Events.solve(FALL, y0, 1, 0, 10, m, o,
                    new Event(List.of((t, y) -> y[0] - 5), List.of(Event.Direction.RISING), 1e-12));
            assertFalse(later.triggered(), m.name() + ": a falling height never rises through 5");
            assertNotNull(later.solution());
            assertEquals(10, later.solution().lastState()[0] + 0.5 * G * 100, 1e-6, "solved to t1 = 10");
            EventSolution falling = Events.solve(FALL, y0, 1, 0, 10, m, o,
                    new Event(List.of((t, y) -> y[0] - 5), List.of(Event.Direction.FALLING), 1e-12));
            assertEquals(Math.sqrt(2 * 5 / G), falling.time(), 1e-9, m.name());
        }
    }

    @Test
    void eventsWorkBackwardsInTimeAndOnABatch() {
        // two balls in one batch; the condition watches the second one; backwards from t = 2 to 0
        double[] y0 = {30, 0, 10, 0};
        EventSolution e = Events.solve(FALL, y0, 2, 0, 10, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-9).atol(1e-11).build(), Event.of((t, y) -> y[2], Event.Direction.FALLING));
        assertEquals(Math.sqrt(2 * 10 / G), e.time(), 1e-9);
        assertEquals(30 - 0.5 * G * e.time() * e.time(), e.state()[0], 1e-8, "the other row at t*");
        // backwards: the ball thrown up from the ground at t = 0 with v = 10 is at height 0 again at t = 20/g; from
        // t = 3 back to 0 its height rises through 0 (in the direction of travel) at t = 20/g
        double t3 = 3.0, v0 = 10.0;
        double[] yAt3 = {v0 * t3 - 0.5 * G * t3 * t3, v0 - G * t3};
        EventSolution back = Events.solve(FALL, yAt3, 1, t3, 0, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-9).atol(1e-11).build(), Event.of((t, y) -> y[0], Event.Direction.RISING));
        assertEquals(2 * v0 / G, back.time(), 1e-9);
    }

    @Test
    void badEventsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Event(List.of((t, y) -> y[0]), List.of(), 1e-9));
        assertTrue(e.getMessage().contains("directions must have one entry per condition (1), got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Event.of((t, y) -> y[0], Event.Direction.BOTH).withTolerance(0));
        assertTrue(e.getMessage().contains("tolerance must be finite and > 0, got 0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Events.solve(FALL, new double[] {1, 0}, 1, 0, 1,
                RungeKutta.dopri5(), SolveOptions.defaults(), null));
        assertTrue(e.getMessage().contains("event must be non-null"), e.getMessage());
    }

    /** A ball with quadratic drag k: (x, v, k)' = (v, −g − k v|v|, 0); k is a parameter carried in the state. */
    private static final VectorField DRAG = new VectorField() {
        @Override
        public void evaluate(double t, double[] y, double[] dy, int rows, FieldWorkspace ws) {
            for (int r = 0; r < rows; r++) {
                double v = y[3 * r + 1], k = y[3 * r + 2];
                dy[3 * r] = v;
                dy[3 * r + 1] = -G - k * v * Math.abs(v);
                dy[3 * r + 2] = 0;
            }
        }

        @Override
        public int dim() {
            return 3;
        }
    };

    /** L(t*, y*) = t*² + 0.3 v*² at the first impact. */
    private static double loss(double[] y0, OdeMethod m, SolveOptions o) {
        EventSolution e = Events.solve(DRAG, y0, 1, 0, 20, m, o, Event.of((t, y) -> y[0], Event.Direction.FALLING));
        return e.time() * e.time() + 0.3 * e.state()[1] * e.state()[1];
    }

    @Test
    void gradientThroughTheEventTimeMatchesFiniteDifferences() {
        double[] y0 = {10, 2, 0.05}; // height, upward velocity, drag parameter
        for (OdeMethod m : List.of(RungeKutta.dopri5(), Rosenbrock.rodas5p())) {
            SolveOptions o = SolveOptions.builder().rtol(1e-11).atol(1e-12).build();
            EventSolution e = Events.solve(DRAG, y0, 1, 0, 20, m, o, Event.of((t, y) -> y[0], Event.Direction.FALLING));
            double ts = e.time();
            double[] ys = e.state(), f = new double[3];
            DRAG.evaluate(ts, ys, f, 1, FieldWorkspace.NONE);
            double[] w = new double[3];
            Events.eventCotangent(2 * ts, new double[] {0, 0.6 * ys[1], 0}, 0.0, new double[] {1, 0, 0}, f, w);
            // dL/dy0_j = w · ∂y(t*)/∂y0_j at the fixed time t*, by central differences of fixed-time solves
            double[] ift = new double[3], fd = new double[3];
            for (int j = 0; j < 3; j++) {
                double eps = 1e-5 * Math.max(1, Math.abs(y0[j]));
                double[] plus = y0.clone(), minus = y0.clone();
                plus[j] += eps;
                minus[j] -= eps;
                double[] yp = Solver.solve(DRAG, plus, 1, 0, ts, m, o).lastState();
                double[] ym = Solver.solve(DRAG, minus, 1, 0, ts, m, o).lastState();
                for (int i = 0; i < 3; i++) ift[j] += w[i] * (yp[i] - ym[i]) / (2 * eps);
                fd[j] = (loss(plus, m, o) - loss(minus, m, o)) / (2 * eps);
            }
            System.out.printf("[EventsTest] %s: dL/d(x0, v0, k) by the IFT %s, by differences of event solves %s%n",
                    m.name(), java.util.Arrays.toString(ift), java.util.Arrays.toString(fd));
            for (int j = 0; j < 3; j++) {
                assertEquals(fd[j], ift[j], 1e-5 * (1 + Math.abs(fd[j])), m.name() + " component " + j);
            }
        }
    }

    @Test
    void tangentialEventsAreNotDifferentiable() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Events.eventCotangent(1.0,
                new double[] {1, 0}, 0.0, new double[] {1, 0}, new double[] {0, 1}, new double[2]));
        assertTrue(e.getMessage().contains("tangential"), e.getMessage());
    }
}
