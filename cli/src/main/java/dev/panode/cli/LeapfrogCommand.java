package dev.panode.cli;

import dev.panode.cli.LeapfrogExperiment.Variant;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code panode leapfrog}: the leapfrog gradient experiment of docs/ALGORITHMS.md §10 (after Xu, Chen &amp; Li,
 * arXiv:2306.02192). Prints the E1 table (interior max error of G_n/h against the continuous functional gradient for
 * plain backprop, corrections A and B, and AB2) and the E2 table (roughness of per-step biases learned by gradient
 * descent), and writes two PNGs: {@code gradients.png} (G_n/h over t_n: plain vs corrected vs reference) and
 * {@code learned-biases.png} (the biases after training: plain, A and B).
 */
@Command(name = "leapfrog", mixinStandardHelpOptions = true,
        description = "Leapfrog per-layer gradients: plain backprop vs corrections A (filter) and B (consistent adjoint).")
public final class LeapfrogCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", description = "Output folder for the PNGs (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("panode-out", "leapfrog");

    @Option(names = "--e1-steps", split = ",", description = "Step counts N of E1 (default: ${DEFAULT-VALUE}).")
    List<Integer> e1Steps = List.of(50, 200, 1600);

    @Option(names = "--e2-steps", split = ",", description = "Step counts N of E2 (default: ${DEFAULT-VALUE}).")
    List<Integer> e2Steps = List.of(100, 200, 400);

    @Option(names = "--iterations", description = "Gradient-descent iterations of E2 (default: ${DEFAULT-VALUE}).")
    int iterations = 300;

    @Option(names = "--lr", description = "Learning rate of E2, applied to G_n/h (default: ${DEFAULT-VALUE}).")
    double lr = 0.5;

    @Option(names = "--reference-steps", description = "RK4 steps of the reference adjoint (default: ${DEFAULT-VALUE}).")
    int referenceSteps = LeapfrogExperiment.REFERENCE_STEPS;

    @Option(names = "--plot-steps", description = "N of the gradient plot (default: ${DEFAULT-VALUE}).")
    int plotSteps = 50;

    @Option(names = "--train-plot-steps", description = "N of the learned-bias plot (default: ${DEFAULT-VALUE}).")
    int trainPlotSteps = 100;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LeapfrogCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        validate();
        PrintWriter w = spec.commandLine().getOut();
        LeapfrogExperiment ex = new LeapfrogExperiment(referenceSteps);

        w.println("E1: interior max |G_n/h - dL/db(t_n)| over layers 3..N-4 (reference: RK4 + RK4 adjoint, "
                + referenceSteps + " steps)");
        w.printf("%6s | %10s | %12s | %14s | %10s%n", "N", "plain", "A: filtered", "B: consistent", "AB2");
        for (int n : e1Steps) {
            LeapfrogExperiment.E1Row r = ex.e1(n);
            w.printf("%6d | %10.2e | %12.2e | %14.2e | %10.2e%n", n, r.error(Variant.LEAPFROG_PLAIN),
                    r.error(Variant.LEAPFROG_FILTERED), r.error(Variant.LEAPFROG_CONSISTENT), r.error(Variant.AB2_PLAIN));
        }
        w.println();
        w.printf("E2: %d steps of b_n -= %s * G_n/h from b = 0; roughness = interior max |b_(n+1) - 2 b_n + b_(n-1)|%n",
                iterations, lr);
        w.printf("%6s | %12s | %10s | %12s | %10s | %12s | %10s%n", "N", "plain rough", "loss", "A: rough", "loss",
                "B: rough", "loss");
        for (int n : e2Steps) {
            LeapfrogExperiment.TrainResult p = LeapfrogExperiment.train(n, Variant.LEAPFROG_PLAIN, iterations, lr);
            LeapfrogExperiment.TrainResult f = LeapfrogExperiment.train(n, Variant.LEAPFROG_FILTERED, iterations, lr);
            LeapfrogExperiment.TrainResult b = LeapfrogExperiment.train(n, Variant.LEAPFROG_CONSISTENT, iterations, lr);
            w.printf("%6d | %12.2e | %10.1e | %12.2e | %10.1e | %12.2e | %10.1e%n", n, p.roughness(), p.finalLoss(),
                    f.roughness(), f.finalLoss(), b.roughness(), b.finalLoss());
        }
        w.flush();

        Path gradients = Plots.writeGrid(List.of(gradientCharts(ex)), 2, 1, out, "gradients");
        Path biases = Plots.writeGrid(List.of(biasCharts()), 2, 1, out, "learned-biases");
        w.println();
        w.println("wrote " + gradients);
        w.println("wrote " + biases);
        w.flush();
        return 0;
    }

    private void validate() {
        for (int n : e1Steps) {
            if (n < 8) throw new CommandLine.ParameterException(spec.commandLine(), "--e1-steps must be >= 8, got " + n);
        }
        for (int n : e2Steps) {
            if (n < 16) throw new CommandLine.ParameterException(spec.commandLine(), "--e2-steps must be >= 16, got " + n);
        }
        if (plotSteps < 8) throw new CommandLine.ParameterException(spec.commandLine(), "--plot-steps must be >= 8, got " + plotSteps);
        if (trainPlotSteps < 16) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--train-plot-steps must be >= 16, got " + trainPlotSteps);
        }
        if (iterations < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--iterations must be >= 0, got " + iterations);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new CommandLine.ParameterException(spec.commandLine(), "--lr must be positive, got " + lr);
        if (referenceSteps < 10) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reference-steps must be >= 10, got " + referenceSteps);
        }
    }

    /** One chart per bias component: G_n/h of plain backprop, corrections A and B, and the reference curve. */
    private XYChart[] gradientCharts(LeapfrogExperiment ex) {
        int n = plotSteps;
        double h = LeapfrogExperiment.T / n;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = i * h;
        Variant[] shown = {Variant.LEAPFROG_PLAIN, Variant.LEAPFROG_FILTERED, Variant.LEAPFROG_CONSISTENT};
        String[] names = {"plain backprop", "A: [1,2,1] filter", "B: consistent adjoint"};
        double[][] g = new double[shown.length][n * 2];
        for (int v = 0; v < shown.length; v++) {
            LeapfrogExperiment.gradient(LeapfrogExperiment.fieldOnPath(n), shown[v], g[v]);
        }
        int fine = 400;
        double[] tf = new double[fine + 1];
        double[] rf = new double[(fine + 1) * 2];
        for (int i = 0; i <= fine; i++) {
            tf[i] = LeapfrogExperiment.T * i / fine;
            ex.reference(tf[i], rf, 2 * i);
        }
        XYChart[] charts = new XYChart[2];
        for (int c = 0; c < 2; c++) {
            XYChart chart = new XYChartBuilder().width(900).height(420)
                    .title("Leapfrog per-layer gradient G_n/h, component " + (c + 1) + ", N = " + n)
                    .xAxisTitle("t_n").yAxisTitle("dL/db_n / h").build();
            XYSeries ref = chart.addSeries("reference (continuous adjoint)", tf, component(rf, c, fine + 1, 1.0));
            ref.setMarker(SeriesMarkers.NONE);
            for (int v = 0; v < shown.length; v++) {
                XYSeries s = chart.addSeries(names[v], t, component(g[v], c, n, 1.0 / h));
                s.setMarker(v == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            }
            charts[c] = chart;
        }
        return charts;
    }

    /** One chart per bias component: the biases learned with plain and filtered gradients. */
    private XYChart[] biasCharts() {
        int n = trainPlotSteps;
        double h = LeapfrogExperiment.T / n;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = i * h;
        LeapfrogExperiment.TrainResult plain = LeapfrogExperiment.train(n, Variant.LEAPFROG_PLAIN, iterations, lr);
        LeapfrogExperiment.TrainResult filtered = LeapfrogExperiment.train(n, Variant.LEAPFROG_FILTERED, iterations, lr);
        LeapfrogExperiment.TrainResult consistent =
                LeapfrogExperiment.train(n, Variant.LEAPFROG_CONSISTENT, iterations, lr);
        XYChart[] charts = new XYChart[2];
        for (int c = 0; c < 2; c++) {
            XYChart chart = new XYChartBuilder().width(900).height(420)
                    .title("Learned per-step bias b_n, component " + (c + 1) + ", N = " + n + ", " + iterations
                            + " steps of gradient descent")
                    .xAxisTitle("t_n").yAxisTitle("b_n").build();
            chart.addSeries("plain backprop", t, component(plain.biases(), c, n, 1.0)).setMarker(SeriesMarkers.CIRCLE);
            chart.addSeries("A: [1,2,1] filter", t, component(filtered.biases(), c, n, 1.0)).setMarker(SeriesMarkers.NONE);
            chart.addSeries("B: consistent adjoint", t, component(consistent.biases(), c, n, 1.0))
                    .setMarker(SeriesMarkers.NONE);
            charts[c] = chart;
        }
        return charts;
    }

    private static double[] component(double[] rowsOf2, int c, int n, double scale) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = rowsOf2[2 * i + c] * scale;
        return out;
    }
}
