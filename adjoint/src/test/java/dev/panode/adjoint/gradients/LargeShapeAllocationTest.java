package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.blas.Blas;
import dev.panode.blas.testing.Allocations;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.DenseKernel;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmThresholds;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After warm-up a gradient allocates 0 bytes on the code paths of the large benchmark cases (2x64x1024 and
 * 32x256x256, docs/benchmarks/peers.md) too, for backprop, both backsolve adjoints and the interpolating adjoint, with
 * the final and the multi-observation loss, through one {@link GradientSession} each, as a training loop runs them.
 * {@link GradientSessionTest}'s small network (2 → 12 → 12 → 2 over 3 rows) takes other paths than those cases: the
 * broadcast form and the dot form's single rows, no GEMM-form layer, no C sharing A's array, no eight-row tile. Each
 * shape here is the smallest found just past the thresholds that send the large cases down their paths (on 512-bit
 * vectors; with narrower ones the same shapes take the same forms, and the tiles their four-row kernels), so that the
 * warm-up stays short:
 *
 * <ul>
 *   <li>{@link #NARROW}, 2 → 40 → 40 → 2 over 72 rows, the 2x64x1024 case's paths: the two-input first layer
 *       ({@code DenseKernel}'s two-input rows, an output of two vectors or more), the broadcast form over more than one
 *       block of rows in the Java GEMM's eight-row dense tiles (three- and two-vector column panels), the dot form
 *       of the two-output layer in tiles of four rows (its kept row ends compared at each call); backwards, more
 *       rows than the narrow-input block pass and the two-output pass through tanh take ({@code DenseVjpKernel}'s 64),
 *       so every layer's VJP is two GEMMs: eight-row accumulating tiles, B's panel aligned from 65,536 multiply-adds
 *       on, the one-row kernels of the two-output weight gradient and the dot form of the two-column input gradient;
 *       </li>
 *   <li>{@link #WIDE}, 16 → 136 → 136 → 16 over 8 rows, the 32x256x256 case's paths: a hidden width past the Java
 *       kernel's k block (128), so the hidden and output layers are in {@link DenseKernel.Form#GEMM} form
 *       ({@link Gemm#dgemm} on the whole block, then the bias-and-activation pass), the hidden one writing its
 *       pre-activation beside its input in one saved stage (C sharing A's array: the argument check's shared-array
 *       rule, docs/BENCHMARKS.md §89.7), and the input gradient's depth past one k block (its second block
 *       accumulating);</li>
 *   <li>{@link #NARROW} again with every product sent to OpenBLAS (when it is loaded): the forward layers through
 *       {@link Gemm#dgemm} and the bindings' cached heap segments for the saved stages, the VJPs' products there too.
 *       </li>
 * </ul>
 *
 * The code paths were mapped by method-level coverage of the large cases against these shapes (docs/BENCHMARKS.md
 * §93): every method the large cases run, these shapes run. With the GEMM check of before §89.7 (every C sharing A's
 * array sent through the argument explanation) {@link #WIDE}'s backprop allocates 1,920 B per gradient and the
 * OpenBLAS run's 1,760 B, and the test fails. A failure names the shape, the method and the loss.
 */
class LargeShapeAllocationTest {
    /** A reference-style MLP {@code D → H → H → D} (tanh, tanh, identity) over a batch of rows. */
    record Shape(int dim, int hidden, int rows, long seed) {
        Mlp mlp() {
            return Mlp.initialised(MlpArchitecture.mlp3Tanh(dim, hidden), Initialisation.PYTORCH_DEFAULT, seed);
        }

        double[] states() {
            SplitMix64 rng = new SplitMix64(seed + 1);
            double[] z = new double[rows * dim];
            for (int i = 0; i < z.length; i++) z[i] = rng.uniform(-1.0, 1.0);
            return z;
        }

        @Override
        public String toString() {
            return dim + "x" + hidden + "x" + rows;
        }
    }

    static final Shape NARROW = new Shape(2, 40, 72, 2001);
    static final Shape WIDE = new Shape(16, 136, 8, 3001);
    /** The benchmark cases' solver settings (docs/benchmarks/peers.md). */
    static final SolveOptions OPTIONS = SolveOptions.builder().rtol(1e-6).atol(1e-8).torchdiffeqCompatible(true)
            .build();
    static final double[] FINAL = {0.0, 1.0};
    static final double[] MULTI = {0.0, 0.25, 0.5, 0.75, 1.0};
    /** Gradients before the first window, and per window. */
    static final int WARM_UP = 200, WINDOW = 10;

    static List<GradientMethod> methods() {
        return List.of(Backprop.storeAll(), BacksolveAdjoint.of(AdjointNorm.FULL),
                BacksolveAdjoint.of(AdjointNorm.SEMINORM), InterpolatingAdjoint.of(AdjointNorm.SEMINORM));
    }

    @Test
    void theShapesTakeTheLargeCasesForms() {
        ActivationKernel tanh = ActivationKernel.TANH;
        assertEquals(DenseKernel.Form.BROADCAST, DenseKernel.of(NARROW.hidden(), NARROW.hidden(), tanh).form());
        assertEquals(DenseKernel.Form.DOT, DenseKernel.of(NARROW.hidden(), NARROW.dim(), ActivationKernel.IDENTITY)
                .form());
        assertEquals(DenseKernel.Form.GEMM, DenseKernel.of(WIDE.hidden(), WIDE.hidden(), tanh).form());
        assertEquals(DenseKernel.Form.GEMM, DenseKernel.of(WIDE.hidden(), WIDE.dim(), ActivationKernel.IDENTITY)
                .form());
        assertTrue(NARROW.rows() > 64, "more rows than DenseVjpKernel's block passes take");
    }

    @Test
    void aNarrowStateOverManyRowsAllocatesNothingPerGradient() {
        assertEveryGradientAllocatesNothing(NARROW, "");
    }

    @Test
    void wideHiddenLayersAllocateNothingPerGradient() {
        assertEveryGradientAllocatesNothing(WIDE, "");
    }

    @Test
    void everyProductOnOpenBlasAllocatesNothingPerGradient() {
        assumeTrue(Blas.isAvailable(), "OpenBLAS is not loaded");
        try {
            Gemm.setThresholds(new GemmThresholds(0, 0));
            assertEquals(Gemm.Backend.OPENBLAS, Gemm.backendFor(NARROW.rows(), NARROW.hidden(), NARROW.hidden()));
            assertEveryGradientAllocatesNothing(NARROW, ", every product on OpenBLAS");
        } finally {
            Gemm.resetThresholds();
        }
    }

    private static void assertEveryGradientAllocatesNothing(Shape shape, String how) {
        Mlp f = shape.mlp();
        double[] z0 = shape.states();
        for (GradientMethod m : methods()) {
            for (double[] times : List.of(FINAL, MULTI)) {
                Loss loss = times == FINAL ? Loss.sumOfSquaresAtEnd() : Loss.sumOfSquaresAfterStart();
                try (GradientSession s = Gradients.session(f, shape.rows(), times, loss, RungeKutta.dopri5(),
                        OPTIONS, m, false)) {
                    Allocations.assertNoAllocation(shape + how + ", " + m + ", " + (times.length - 1)
                            + " observation(s)", WARM_UP, WINDOW, () -> s.compute(z0));
                    if (m instanceof Backprop) assertTrue(s.stats().stagesSaved(), "backprop keeps its stages");
                }
            }
        }
    }
}
