package dev.panode.bench.simd;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.simd.ActivationKernel;
import dev.panode.simd.DenseKernel;
import dev.panode.simd.DenseKernelF32;
import dev.panode.simd.DenseVjpKernel;
import dev.panode.simd.DenseVjpKernelF32;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One dense layer's kernels as an MLP's last layer holds them: {@code u = x·Wᵀ + b}, {@code a = tanh(u)} for
 * {@code rows} rows ({@link DenseKernel#forward}, {@link DenseKernelF32#forward}) and the layer's VJP
 * ({@link DenseVjpKernel#backward}, {@link DenseVjpKernelF32#backward}), with W then b filling θ exactly and x, u, a,
 * Ū and X̄ sized exactly: the rows that end their arrays (W's last row before the bias, X's last row, u's and a's
 * last) are where the kernels' last partial vectors meet an array's end. The shapes are {@code rows x in x out}:
 * 16 × 50 → 2 is the output layer of the 2-50-2 model over a batch of 16. With {@code input=padded} x has
 * {@value #PADDING} elements after its last row, as the MLPs' workspaces leave after a hidden layer's output (the
 * {@code INPUT_PADDING} of the dense kernels): the dot form then reads X's last rows in place. For before/after pairs of
 * a kernel change run it through {@link dev.panode.bench.suite.BuildDuet} (each build in its own class loader, blocks
 * alternating).
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DenseLayerBench extends PanodeBenchmark {
    /** {@code rows x in x out}. */
    @Param({"16x50x2", "1x50x2", "16x2x50", "16x50x50"})
    public String shape;

    /** {@code float64} or {@code float32}. */
    @Param({"float64", "float32"})
    public String dtype;

    /** {@code exact}: x is {@code rows × in} long; {@code padded}: {@value #PADDING} elements more. */
    @Param({"exact"})
    public String input;

    /**
     * {@code unheld}: every forward call compares W with what the workspace keeps of it (a layer called alone);
     * {@code held}: the workspace {@linkplain DenseKernel.Workspace#holdWeights holds} the weights, as inside a solve,
     * so that only the first call compares.
     */
    @Param({"unheld"})
    public String weights;

    /** A vector of the widest kind (16 floats, 8 doubles: 512 bits) or more, whatever the CPU. */
    private static final int PADDING = 16;

    private int rows, in, out;
    private double[] x, theta, u, a, uBar, thetaBar, xBar;
    private float[] xf, thetaf, uf, af, uBarf, thetaBarf, xBarf;
    private DenseKernel dense;
    private DenseKernel.Workspace denseWs;
    private DenseVjpKernel vjp;
    private DenseVjpKernel.Workspace vjpWs;
    private DenseKernelF32 denseF32;
    private DenseKernelF32.Workspace denseF32Ws;
    private DenseVjpKernelF32 vjpF32;
    private DenseVjpKernelF32.Workspace vjpF32Ws;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        if (p.length != 3) throw new IllegalArgumentException("shape must be ROWSxINxOUT, got " + shape);
        rows = Integer.parseInt(p[0]);
        in = Integer.parseInt(p[1]);
        out = Integer.parseInt(p[2]);
        SplittableRandom random = new SplittableRandom(62);
        int padding = switch (input) {
            case "exact" -> 0;
            case "padded" -> PADDING;
            default -> throw new IllegalArgumentException("input must be exact or padded, got " + input);
        };
        boolean held = switch (weights) {
            case "unheld" -> false;
            case "held" -> true;
            default -> throw new IllegalArgumentException("weights must be unheld or held, got " + weights);
        };
        x = Arrays.copyOf(random.doubles((long) rows * in, -1, 1).toArray(), rows * in + padding);
        theta = random.doubles((long) out * in + out, -0.5, 0.5).toArray();
        uBar = random.doubles((long) rows * out, -1, 1).toArray();
        u = new double[rows * out];
        a = new double[rows * out];
        thetaBar = new double[theta.length];
        xBar = new double[rows * in];
        switch (dtype) {
            case "float64" -> {
                dense = DenseKernel.of(in, out, ActivationKernel.TANH);
                denseWs = dense.newWorkspace();
                if (held) denseWs.holdWeights();
                vjp = DenseVjpKernel.of(in, out);
                vjpWs = vjp.newWorkspace();
            }
            case "float32" -> {
                xf = toFloat(x);
                thetaf = toFloat(theta);
                uBarf = toFloat(uBar);
                uf = new float[u.length];
                af = new float[a.length];
                thetaBarf = new float[theta.length];
                xBarf = new float[xBar.length];
                denseF32 = DenseKernelF32.of(in, out, ActivationKernel.TANH);
                denseF32Ws = denseF32.newWorkspace();
                if (held) denseF32Ws.holdWeights();
                vjpF32 = DenseVjpKernelF32.of(in, out);
                vjpF32Ws = vjpF32.newWorkspace();
            }
            default -> throw new IllegalArgumentException("dtype must be float64 or float32, got " + dtype);
        }
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /** The forward pass: u and a of every row. */
    @Benchmark
    public Object forward() {
        if (dense != null) {
            dense.forward(rows, x, theta, 0, out * in, u, a, denseWs);
            return a;
        }
        denseF32.forward(rows, xf, thetaf, 0, out * in, uf, af, denseF32Ws);
        return af;
    }

    /** The VJP: W̄ and b̄ accumulated, X̄ written. */
    @Benchmark
    public Object backward() {
        if (vjp != null) {
            vjp.backward(rows, uBar, x, 0, theta, 0, thetaBar, out * in, xBar, vjpWs);
            return xBar;
        }
        vjpF32.backward(rows, uBarf, xf, 0, thetaf, 0, thetaBarf, out * in, xBarf, vjpF32Ws);
        return xBarf;
    }
}
