package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.LinearField;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import org.junit.jupiter.api.Test;

/**
 * A model or a gradient too large for the heap fails before allocating, with a message that names the bytes needed
 * and the heap's maximum ({@link Runtime#maxMemory()}), instead of an {@link OutOfMemoryError} from a constructor.
 */
class HeapCheckTest {
    private static void assertNamesBytesAndHeap(IllegalArgumentException e, String... parts) {
        String m = e.getMessage();
        assertTrue(m.contains("bytes") && m.contains(Long.toString(Runtime.getRuntime().maxMemory()))
                && m.contains("Runtime.maxMemory()"), m);
        for (String p : parts) assertTrue(m.contains(p), () -> "'" + m + "' lacks '" + p + "'");
    }

    @Test
    void anMlpWorkspaceLargerThanTheHeapIsRefusedBeforeAllocating() {
        // the case: hidden width 1e5, batch 2e4: 2e9 doubles per layer buffer
        Mlp wide = Mlp.initialised(MlpArchitecture.of(2, 100_000, 1, Activation.TANH),
                Initialisation.normal(0.1), 1); // 2 → 1e5 → 2
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wide.newWorkspace(20_000));
        assertNamesBytesAndHeap(e, "workspace of Mlp[", "maxRows = 20000");
        // a batch whose buffers overflow an int's worth of elements is refused too, not a negative array size
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> wide.newWorkspace(1 << 20));
        assertNamesBytesAndHeap(big, "maxRows = 1048576");
    }

    @Test
    void aGradientWhoseBuffersExceedTheHeapIsRefusedBeforeTheSolve() {
        // 100 000 rows of a 2-D state saved at 20 000 observation times: states and gradients need 64 GB
        int rows = 100_000;
        double[] y0 = new double[2 * rows];
        double[] times = new double[20_000];
        for (int i = 0; i < times.length; i++) times[i] = i * 1e-3;
        LinearField field = LinearField.of(new double[][] {{-0.5, 1}, {-1, -0.5}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gradients.compute(field, y0,
                rows, times, Loss.sumOfSquaresAtEnd(), RungeKutta.dopri5(), SolveOptions.defaults(),
                Backprop.storeAll()));
        assertNamesBytesAndHeap(e, "20000 observation times");
    }
}
