package dev.panode.adjoint;

import static dev.panode.adjoint.FieldChecking.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panode.simd.Activation;
import dev.panode.solvers.FieldWorkspace;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Evaluation and VJP allocate nothing on the Java heap after warm-up. */
class FieldAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Bytes allocated by {@code calls} calls once the code is compiled: windows of {@code calls} calls are measured
     * until one allocates nothing (or 15 s pass), and the least window is returned. The JIT compiles the Vector API
     * kernels asynchronously (slowly on a loaded machine), and interpreted vectors are boxed; a one-off allocation of
     * the JVM (a deoptimisation) can also hit a window. An allocation per call shows in every window, as at least
     * {@code calls × 16} bytes.
     */
    private static long allocatedBy(Runnable r, int calls) {
        for (int i = 0; i < 20_000; i++) r.run();
        long least = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (least > 0 && System.nanoTime() < deadline) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) r.run();
            least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    private static void assertNoAllocation(DifferentiableField f, int rows) {
        SplittableRandom rng = new SplittableRandom(1);
        int n = rows * f.dim();
        double[] y = random(rng, n, 1.0);
        double[] v = random(rng, n, 1.0);
        double[] out = new double[n];
        double[] yBar = new double[n];
        double[] thetaBar = new double[f.parameterCount()];
        FieldWorkspace ws = f.newWorkspace(rows);
        String name = f.getClass().getSimpleName() + " rows=" + rows;
        assertEquals(0, allocatedBy(() -> f.evaluate(0.5, y, out, rows, ws), 2_000), name + " evaluate");
        assertEquals(0, allocatedBy(() -> f.vjp(0.5, y, v, yBar, thetaBar, out, rows, true, ws), 2_000),
                name + " vjp");
        if (f instanceof dev.panode.solvers.RowTimeField rf) {
            double[] tRows = random(rng, rows, 1.0);
            assertEquals(0, allocatedBy(() -> rf.evaluateRows(tRows, y, out, rows, ws), 2_000),
                    name + " evaluateRows");
        }
    }

    @Test
    void mlpAllocatesNothing() {
        assertNoAllocation(Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 16), Initialisation.PYTORCH_DEFAULT, 1), 4);
        MlpArchitecture timed = new MlpArchitecture(3, List.of(8, 8, 3),
                List.of(Activation.SOFTPLUS, Activation.RELU, Activation.SIGMOID), true, InputTransform.CUBE);
        assertNoAllocation(Mlp.initialised(timed, Initialisation.HE_UNIFORM, 2), 5);
    }

    @Test
    void analyticFieldsAllocateNothing() {
        assertNoAllocation(LinearField.of(new double[][] {{0, 1}, {-1, 0}}), 3);
        assertNoAllocation(SpiralField.torchdiffeqDemo(), 3);
        assertNoAllocation(new FiniteDifferenceField(SpiralField.torchdiffeqDemo()), 3);
    }
}
