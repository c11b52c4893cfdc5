package dev.panode.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Heat maps of 2-D densities on a square window, written as PNG with {@code javax.imageio}: a grid of
 * {@code res × res} cells (row 0 at the top, the largest y), each panel scaled to its own maximum and coloured with a
 * viridis-like ramp, panels side by side under their titles.
 */
final class DensityImages {
    private static final int CELL = 2;
    private static final int TITLE = 22;
    private static final int GAP = 6;
    /** Control points of the colour ramp (dark blue → teal → green → yellow). */
    private static final int[][] RAMP = {
            {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

    private final double lo;
    private final double hi;
    private final int res;

    DensityImages(double lo, double hi, int res) {
        this.lo = lo;
        this.hi = hi;
        this.res = res;
    }

    /** The centres of the grid's cells, row-major from the top-left, as {@code res² × 2} points. */
    double[] gridPoints() {
        double[] p = new double[2 * res * res];
        double d = (hi - lo) / res;
        for (int i = 0; i < res; i++) {
            for (int j = 0; j < res; j++) {
                p[2 * (i * res + j)] = lo + (j + 0.5) * d;
                p[2 * (i * res + j) + 1] = hi - (i + 0.5) * d;
            }
        }
        return p;
    }

    /** Counts of n points ({@code n × 2}) per cell, in the layout of {@link #gridPoints}; points outside are dropped. */
    double[] histogram(double[] points, int n) {
        double[] h = new double[res * res];
        double d = (hi - lo) / res;
        for (int k = 0; k < n; k++) {
            int j = (int) Math.floor((points[2 * k] - lo) / d);
            int i = (int) Math.floor((hi - points[2 * k + 1]) / d);
            if (i >= 0 && i < res && j >= 0 && j < res) h[i * res + j]++;
        }
        return h;
    }

    /** exp of log-densities on the grid. */
    static double[] exp(double[] logValues) {
        double[] v = new double[logValues.length];
        for (int i = 0; i < v.length; i++) v[i] = Math.exp(logValues[i]);
        return v;
    }

    /** Writes panels (values on the grid) side by side with their titles. */
    void write(Path file, List<double[]> panels, List<String> titles) throws IOException {
        int side = res * CELL;
        int width = panels.size() * side + (panels.size() + 1) * GAP;
        int height = side + TITLE + GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int p = 0; p < panels.size(); p++) {
            int x0 = GAP + p * (side + GAP);
            double[] v = panels.get(p);
            double max = 0.0;
            for (double x : v) if (Double.isFinite(x)) max = Math.max(max, x);
            for (int i = 0; i < res; i++) {
                for (int j = 0; j < res; j++) {
                    double x = v[i * res + j];
                    int rgb = colour(max > 0 && Double.isFinite(x) ? x / max : 0.0);
                    for (int a = 0; a < CELL; a++) {
                        for (int b = 0; b < CELL; b++) img.setRGB(x0 + j * CELL + b, TITLE + i * CELL + a, rgb);
                    }
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(titles.get(p), x0 + 2, TITLE - 6);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer for " + file);
    }

    private static int colour(double s) {
        s = Math.max(0.0, Math.min(1.0, s));
        double x = s * (RAMP.length - 1);
        int k = Math.min((int) x, RAMP.length - 2);
        double f = x - k;
        int r = (int) Math.round(RAMP[k][0] + f * (RAMP[k + 1][0] - RAMP[k][0]));
        int gr = (int) Math.round(RAMP[k][1] + f * (RAMP[k + 1][1] - RAMP[k][1]));
        int b = (int) Math.round(RAMP[k][2] + f * (RAMP[k + 1][2] - RAMP[k][2]));
        return (r << 16) | (gr << 8) | b;
    }
}
