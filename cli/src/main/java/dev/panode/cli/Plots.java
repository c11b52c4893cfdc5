package dev.panode.cli;

import dev.panode.solvers.FieldWorkspace;
import dev.panode.solvers.VectorField;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The demo's figures, drawn with XChart and written as PNG: trajectories true vs learned, the phase portrait, the
 * learned vector field as a quiver of arrows, and the loss curve. States are {@code K × dim} row-major arrays of one
 * trajectory.
 */
final class Plots {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    private static final Color TRUE_COLOR = new Color(0x1f, 0x77, 0xb4);
    private static final Color LEARNED_COLOR = new Color(0xd6, 0x27, 0x28);
    /** Per component: the true curve's colour and the learned curve's colour. */
    private static final Color[][] COMPONENT_COLORS = {
        {new Color(0x1f, 0x77, 0xb4), new Color(0xd6, 0x27, 0x28)},
        {new Color(0x2c, 0xa0, 0x2c), new Color(0xff, 0x7f, 0x0e)},
        {new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b)}};

    private Plots() {}

    /**
     * Each component over time: true (solid) and learned (dashed), and the noisy observations as dots when
     * {@code observed} is not null.
     */
    static XYChart trajectories(String title, double[] t, double[] truth, double[] learned, double[] observed, int dim,
                                String[] names) {
        XYChart chart = chart(title, "t", "state");
        for (int i = 0; i < dim; i++) {
            Color[] c = COMPONENT_COLORS[i % COMPONENT_COLORS.length];
            if (observed != null) {
                XYSeries obs = chart.addSeries(names[i] + " observed", t, column(observed, dim, i));
                obs.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
                obs.setMarker(SeriesMarkers.CIRCLE);
                obs.setMarkerColor(new Color(c[0].getRed(), c[0].getGreen(), c[0].getBlue(), 110));
                chart.getStyler().setMarkerSize(4);
            }
            line(chart, names[i] + " true", t, column(truth, dim, i), c[0], 2.5f, false);
            line(chart, names[i] + " learned", t, column(learned, dim, i), c[1], 2.0f, true);
        }
        niceTicks(chart, t, column(truth, dim, 0));
        return chart;
    }

    /**
     * Component 0 against component 1, true vs learned, for every trajectory: {@code truth} and {@code learned} hold
     * {@code n} trajectories of {@code K × 2} one after the other.
     */
    static XYChart phasePortrait(String title, double[] truth, double[] learned, int n, String[] names) {
        XYChart chart = chart(title, names[0], names[1]);
        int len = truth.length / n;
        for (int b = 0; b < n; b++) {
            double[] tb = java.util.Arrays.copyOfRange(truth, b * len, (b + 1) * len);
            double[] lb = java.util.Arrays.copyOfRange(learned, b * len, (b + 1) * len);
            String suffix = n == 1 ? "" : " " + (b + 1);
            XYSeries s1 = line(chart, "true" + suffix, column(tb, 2, 0), column(tb, 2, 1), TRUE_COLOR, 2.0f, false);
            XYSeries s2 = line(chart, "learned" + suffix, column(lb, 2, 0), column(lb, 2, 1), LEARNED_COLOR, 2.0f, true);
            s1.setShowInLegend(b == 0);
            s2.setShowInLegend(b == 0);
            if (n > 1 && b == 0) {
                s1.setLabel("true");
                s2.setLabel("learned");
            }
        }
        return chart;
    }

    /**
     * Arrows of the learned field on an {@code n × n} grid over the box that holds the true trajectories
     * ({@code K × 2} each, one after the other), with the trajectories drawn over it. Arrow lengths grow with log(1 + |f|), so slow and fast regions both stay readable.
     */
    static XYChart vectorField(String title, VectorField field, double[] truth, int trajectories, int n,
                               String[] names) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < truth.length / 2; k++) {
            xMin = Math.min(xMin, truth[2 * k]);
            xMax = Math.max(xMax, truth[2 * k]);
            yMin = Math.min(yMin, truth[2 * k + 1]);
            yMax = Math.max(yMax, truth[2 * k + 1]);
        }
        double padX = 0.15 * (xMax - xMin) + 1e-3, padY = 0.15 * (yMax - yMin) + 1e-3;
        xMin -= padX; xMax += padX; yMin -= padY; yMax += padY;
        int rows = n * n;
        double[] y = new double[rows * 2];
        double[] f = new double[rows * 2];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) {
            int r = a * n + b;
            y[2 * r] = xMin + (xMax - xMin) * (b + 0.5) / n;
            y[2 * r + 1] = yMin + (yMax - yMin) * (a + 0.5) / n;
        }
        FieldWorkspace ws = field.newWorkspace(rows);
        field.evaluate(0.0, y, f, rows, ws);
        double maxLog = 1e-12;
        for (int r = 0; r < rows; r++) maxLog = Math.max(maxLog, Math.log1p(Math.hypot(f[2 * r], f[2 * r + 1])));
        double cell = 0.9 * Math.min((xMax - xMin), (yMax - yMin)) / n;
        XYChart chart = chart(title, names[0], names[1]);
        chart.getStyler().setXAxisMin(xMin).setXAxisMax(xMax).setYAxisMin(yMin).setYAxisMax(yMax);
        Color arrow = new Color(0x55, 0x55, 0x55);
        for (int r = 0; r < rows; r++) {
            double fx = f[2 * r], fy = f[2 * r + 1];
            double norm = Math.hypot(fx, fy);
            if (!(norm > 0.0) || !Double.isFinite(norm)) continue;
            double len = cell * Math.log1p(norm) / maxLog;
            double ux = fx / norm, uy = fy / norm;
            double x0 = y[2 * r] - 0.5 * len * ux, y0 = y[2 * r + 1] - 0.5 * len * uy;
            double x1 = x0 + len * ux, y1 = y0 + len * uy;
            double head = 0.35 * len;
            double cos = Math.cos(Math.toRadians(25)), sin = Math.sin(Math.toRadians(25));
            double lx = x1 - head * (ux * cos - uy * sin), ly = y1 - head * (uy * cos + ux * sin);
            double rx = x1 - head * (ux * cos + uy * sin), ry = y1 - head * (uy * cos - ux * sin);
            XYSeries s = chart.addSeries("f" + r, new double[] {x0, x1, lx, x1, rx}, new double[] {y0, y1, ly, y1, ry});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(arrow);
            s.setLineWidth(1.0f);
            s.setShowInLegend(false);
        }
        int len = truth.length / trajectories;
        for (int b = 0; b < trajectories; b++) {
            double[] tb = java.util.Arrays.copyOfRange(truth, b * len, (b + 1) * len);
            XYSeries s = line(chart, "true trajectory" + (b == 0 ? "" : " " + (b + 1)), column(tb, 2, 0),
                    column(tb, 2, 1), TRUE_COLOR, 1.5f, false);
            s.setShowInLegend(b == 0);
            if (b > 0) s.setLabel("true trajectory");
        }
        return chart;
    }

    /** The training loss per iteration, on a log axis. */
    static XYChart lossCurve(String title, double[] losses) {
        XYChart chart = chart(title, "iteration", "loss");
        double[] it = new double[losses.length];
        double[] l = new double[losses.length];
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < losses.length; i++) {
            it[i] = i + 1;
            l[i] = losses[i];
            if (losses[i] > 0) min = Math.min(min, losses[i]);
        }
        if (Double.isFinite(min)) {
            for (int i = 0; i < l.length; i++) if (!(l[i] > 0)) l[i] = min;
            chart.getStyler().setYAxisLogarithmic(true);
        }
        line(chart, "batch loss", it, l, LEARNED_COLOR, 1.0f, false);
        niceTicks(chart, it, l);
        chart.getStyler().setXAxisDecimalPattern("#0");
        chart.getStyler().setYAxisDecimalPattern("0.#E0");
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    /** Writes {@code chart} to {@code dir/name.png} and returns the path. */
    static Path write(XYChart chart, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    /** Writes the charts as one grid image of {@code rows × cols} panels. */
    static Path writeGrid(List<XYChart> charts, int rows, int cols, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".png");
        BitmapEncoder.saveBitmap(charts, rows, cols, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).theme(Styler.ChartTheme.Matlab).build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setAntiAlias(true);
        st.setMarkerSize(0);
        st.setXAxisDecimalPattern("#0.##");
        st.setYAxisDecimalPattern("#0.##");
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, float width,
                                 boolean dashed) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(width);
        if (dashed) {
            s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
        }
        return s;
    }

    /**
     * XChart puts one tick on every distinct x value when all x values are equally spaced (its category-like mode),
     * which crowds the axis for long series. One hidden point off the grid sends it to its usual "nice number" ticks.
     */
    private static void niceTicks(XYChart chart, double[] x, double[] y) {
        if (x.length < 3) return;
        XYSeries s = chart.addSeries(" ", new double[] {x[0] + (x[1] - x[0]) / 3.0}, new double[] {y[0]});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(new Color(0, 0, 0, 0));
        s.setShowInLegend(false);
    }

    private static double[] column(double[] states, int dim, int i) {
        double[] c = new double[states.length / dim];
        for (int k = 0; k < c.length; k++) c[k] = states[k * dim + i];
        return c;
    }
}
