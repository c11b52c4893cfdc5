package dev.panode.adjoint.models.layers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.blas.testing.Allocations;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link LayerField}'s workspace is checked against the heap before any of it is allocated: the layers say what
 * they allocate ({@link Layer#workspaceDoubles}), which this test measures against what {@code newWorkspace} really
 * allocates, and a workspace that cannot fit is refused with a message naming the field, the bytes and the heap.
 */
class WorkspaceHeapCheckTest {
    private static final int MAX_ROWS = 4_000;

    /** A user layer whose workspace is declared (a huge one, to be refused). */
    private record Declared(int width, long doubles) implements ShapePreserving {
        @Override
        public long workspaceDoubles(int maxRows) {
            return doubles;
        }

        @Override
        public void forward(double[] x, double[] y, int rows, Times time, double[] theta, int offset,
                            LayerWorkspace ws) {
            System.arraycopy(x, 0, y, 0, rows * width);
        }

        @Override
        public double backward(double[] x, double[] y, double[] yBar, double[] xBar, int rows, Times time,
                               double[] theta, int offset, double[] thetaBar, boolean wantTime, LayerWorkspace ws) {
            System.arraycopy(yBar, 0, xBar, 0, rows * width);
            return 0.0;
        }
    }

    @Test
    void theDeclaredSizeIsWhatTheWorkspaceAllocates() {
        List<LayerField> fields = List.of(LayerFieldTest.everyKind(), SavedStateTest.concatSquashNet(),
                Mlp.initialised(MlpArchitecture.mlp3Tanh(3, 40), Initialisation.PYTORCH_DEFAULT, 1),
                LayerField.initialised(new ConcatSquash(2, 2), Initialisation.PYTORCH_DEFAULT, 2),
                LayerField.initialised(Branches.sum(new Residual(new Dense(2, 2)), new ConcatSquash(2, 2)),
                        Initialisation.PYTORCH_DEFAULT, 3));
        for (LayerField f : fields) {
            f.newWorkspace(MAX_ROWS); // classes loaded
            long bytes = Allocations.allocatedBy(() -> f.newWorkspace(MAX_ROWS));
            long declared = 8L * fieldDoubles(f, MAX_ROWS);
            // arrays of MAX_ROWS rows dominate; headers and small objects add a few hundred bytes
            assertTrue(bytes >= declared && bytes <= declared * 1.01 + 4_096,
                    f + ": newWorkspace allocated " + bytes + " bytes, declared " + declared);
        }
    }

    private static long fieldDoubles(LayerField f, int rows) {
        Layer runner = f.network() instanceof Sequential s ? s.runner() : f.network();
        return runner.workspaceDoubles(rows) + 2L * rows * f.dim();
    }

    @Test
    void aCompositionTooLargeForTheHeapIsRefusedBeforeAllocating() {
        // hidden width 1e5, batch 2e4: L, the gate and L̄ of the first ConcatSquash are 2e9 doubles each
        LayerField wide = LayerField.initialised(Sequential.builder(2).concatSquash(100_000).tanh().concatSquash(2)
                .build(), Initialisation.normal(0.01), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wide.newWorkspace(20_000));
        String m = e.getMessage();
        assertTrue(m.contains("workspace of LayerField[") && m.contains("maxRows = 20000") && m.contains("bytes")
                && m.contains(Long.toString(Runtime.getRuntime().maxMemory())), m);
        long allocated = Allocations.allocatedBy(() -> assertThrows(IllegalArgumentException.class,
                () -> wide.newWorkspace(20_000)));
        assertTrue(allocated < 1 << 20, "refused before allocating the buffers: " + allocated + " bytes");
    }

    @Test
    void aUserLayerThatDeclaresItsWorkspaceIsCounted() {
        LayerField f = new LayerField(Sequential.of(new Dense(2, 2), new Declared(2, Long.MAX_VALUE / 2)),
                new double[6]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.newWorkspace(1));
        assertTrue(e.getMessage().contains("maxRows = 1") && e.getMessage().contains("Runtime.maxMemory()"),
                e.getMessage());
        new LayerField(Sequential.of(new Dense(2, 2), new Declared(2, 1_000)), new double[6]).newWorkspace(1);
    }
}
