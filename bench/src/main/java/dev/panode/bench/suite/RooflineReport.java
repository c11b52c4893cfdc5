package dev.panode.bench.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the result table and the roofline ({@link Roofline}) of one or more JMH JSON result files taken together,
 * for runs made with {@code org.openjdk.jmh.Main} directly: the dgemm peak may come from one file (run with its own
 * {@code -p shape=512x512x512}) and the benchmarks from another.
 * Usage: {@code RooflineReport run1.json [run2.json ...]}.
 */
public final class RooflineReport {
    private RooflineReport() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: RooflineReport RESULTS.json [MORE.json ...]");
            System.exit(2);
        }
        List<BenchResult> all = new ArrayList<>();
        for (String a : args) all.addAll(ResultsFile.read(Path.of(a)).results());
        System.out.print(ResultTable.render(all));
        System.out.print(Roofline.render(all));
    }
}
