package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Mlp;
import dev.panode.blas.testing.Allocations;
import dev.panode.io.Precision;
import dev.panode.solvers.SolveException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code panode demo --test-thread on}: the periodic tests on a thread of their own print what the serial path does. */
class TestReportsTest {
    private static final String[] ODE_DEMO = {"--batch-size", "20", "--window", "10", "--rtol", "1e-7", "--atol",
            "1e-9", "--loss", "mae", "--optimizer", "rmsprop", "--lr", "1e-3", "--schedule", "constant", "--plain",
            "--no-plots"};

    private static String[] args(Path dir, String... more) {
        String[] a = Arrays.copyOf(ODE_DEMO, ODE_DEMO.length + more.length + 2);
        System.arraycopy(more, 0, a, ODE_DEMO.length, more.length);
        a[a.length - 2] = "-o";
        a[a.length - 1] = dir.toString();
        return a;
    }

    /** The printed output without what depends on the clock or the folder. */
    private static List<String> timeless(String text) {
        return text.lines().filter(l -> !l.contains("wall time") && !l.contains("training CPU time")
                && !l.contains("output ")).map(l -> l.replaceAll("elapsed .*", "")).toList();
    }

    private static String run(DemoCommand cmd, String... args) throws Exception {
        new CommandLine(cmd).parseArgs(args);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        cmd.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * ode_demo's settings for 60 iterations, a test every 20 (and every 3, so that tests fall between and on the
     * progress lines): the same lines in the same order, the same test errors to the bit, the same batch losses and
     * model, in float64 and float32; the test thread ends with the command.
     */
    @ParameterizedTest
    @ValueSource(strings = {"float64", "float32"})
    void theTestThreadPrintsTheSerialLines(String dtype, @TempDir Path dir) throws Exception {
        for (String freq : new String[] {"20", "3"}) {
            DemoCommand serial = new DemoCommand();
            String a = run(serial, args(dir.resolve("serial" + freq), "-n", "60", "--test-freq", freq, "--dtype",
                    dtype, "--test-thread", "off"));
            DemoCommand concurrent = new DemoCommand();
            List<Thread> threads = new ArrayList<>();
            concurrent.testWrapper = test -> recordingThread(test, threads);
            String b = run(concurrent, args(dir.resolve("thread" + freq), "-n", "60", "--test-freq", freq, "--dtype",
                    dtype, "--test-thread", "on"));
            long lines = a.lines().filter(l -> l.startsWith("Iter ")).count();
            assertEquals(60 / Integer.parseInt(freq), lines, a);
            assertEquals(timeless(a), timeless(b), "--test-thread on prints the serial path's lines");
            assertEquals(1, threads.stream().distinct().count(), "one test thread");
            assertTrue(threads.getFirst() != Thread.currentThread());
            assertFalse(threads.getFirst().isAlive(), "the test thread ends with the command");
            assertEquals(java.nio.file.Files.readString(dir.resolve("serial" + freq).resolve("model.json"))
                    .replace("serial" + freq, ""), java.nio.file.Files.readString(dir.resolve("thread" + freq)
                    .resolve("model.json")).replace("thread" + freq, ""));
        }
    }

    private static PeriodicTest recordingThread(PeriodicTest test, List<Thread> threads) {
        return new PeriodicTest() {
            @Override
            public void capture(double[] parameters) {
                test.capture(parameters);
            }

            @Override
            public double meanAbsoluteError() {
                synchronized (threads) {
                    threads.add(Thread.currentThread());
                }
                return test.meanAbsoluteError();
            }
        };
    }

    /** A test whose solve fails (the step budget) prints NaN as the serial path does; training goes on. */
    @Test
    void aFailedSolvePrintsNaNAsTheSerialPath(@TempDir Path dir) throws Exception {
        List<List<String>> lines = new ArrayList<>();
        for (String mode : new String[] {"off", "on"}) {
            DemoCommand cmd = new DemoCommand();
            new CommandLine(cmd).parseArgs(args(dir.resolve(mode), "-n", "4", "--test-freq", "2", "--max-steps",
                    "30", "--test-thread", mode));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            // the summary's own solve of the whole span fails too, after training
            assertThrows(SolveException.class, () -> cmd.run(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    false));
            lines.add(bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("Iter ")).toList());
        }
        assertEquals(List.of("Iter 0002 | Total Loss 0.950206", "Iter 0004 | Total Loss NaN"), lines.get(0));
        assertEquals(lines.get(0), lines.get(1));
    }

    /**
     * An exception on the test thread ends the command with one line on standard error (exit code 1, no stack
     * trace), the lines before it printed, and the thread ended.
     */
    @Test
    void anExceptionOnTheTestThreadIsTheCommandsError(@TempDir Path dir) throws Exception {
        DemoCommand cmd = new DemoCommand();
        AtomicReference<Thread> thread = new AtomicReference<>();
        cmd.testWrapper = test -> new PeriodicTest() {
            private int reports;

            @Override
            public void capture(double[] parameters) {
                test.capture(parameters);
            }

            @Override
            public double meanAbsoluteError() {
                thread.set(Thread.currentThread());
                if (++reports == 2) throw new IllegalStateException("the test broke");
                return test.meanAbsoluteError();
            }
        };
        StringWriter err = new StringWriter();
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = new CommandLine(cmd).setErr(new PrintWriter(err, true));
            exit = cl.execute(args(dir, "-n", "10", "--test-freq", "2", "--test-thread", "on"));
        } finally {
            System.setOut(stdout);
        }
        assertEquals(1, exit, err.toString());
        assertEquals("demo: the test of iteration 4 failed: java.lang.IllegalStateException: the test broke",
                err.toString().strip());
        List<String> tests = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("Iter ")).toList();
        assertEquals(1, tests.size(), tests.toString());
        assertTrue(tests.getFirst().startsWith("Iter 0002 | Total Loss "), tests.toString());
        assertNotNull(thread.get());
        assertFalse(thread.get().isAlive(), "the test thread ends with the command");
    }

    /**
     * After warm-up a report allocates nothing: the hand-over allocates nothing on the training thread, and the test's
     * solve allocates nothing on the test thread (the printed line's formatting aside, as on the serial path), in
     * float64 and float32. (The solve allocated 40 bytes per call here until {@code HeapCheck}'s size products took
     * fixed arities instead of varargs; docs/BENCHMARKS.md §83.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT64", "FLOAT32"})
    void aReportAllocatesNothingAfterWarmUp(Precision precision) {
        boolean f32 = precision == Precision.FLOAT32;
        DemoProblem problem = DemoProblem.parse("spiral");
        Mlp model = problem.newModel(0);
        double[][] data = problem.observe(0, f32);
        SolverOptions solver = new SolverOptions();
        solver.rtol = 1e-7;
        solver.atol = 1e-9;
        PeriodicEvaluation evaluation = new PeriodicEvaluation(model, problem.initialStates(), problem.times(),
                data[0], solver, precision);
        long[] solveBytes = new long[1];
        PeriodicTest measured = new PeriodicTest() {
            private final double[] mae = new double[1];
            private final Runnable solve = () -> mae[0] = evaluation.meanAbsoluteError();

            @Override
            public void capture(double[] parameters) {
                evaluation.capture(parameters);
            }

            @Override
            public double meanAbsoluteError() {
                solveBytes[0] += Allocations.allocatedBy(solve);
                return mae[0];
            }
        };
        double[] theta = model.parameters();
        try (TestReports reports = TestReports.onThread(measured, new PrintStream(OutputStream.nullOutputStream()))) {
            int[] iteration = {0};
            Runnable report = () -> {
                theta[0] += 1e-9 * (iteration[0] % 2 == 0 ? 1 : -1);
                reports.due(++iteration[0], theta);
                reports.awaitPrinted();
            };
            Runnable serial = () -> {
                theta[0] += 1e-9 * (iteration[0]++ % 2 == 0 ? 1 : -1);
                evaluation.capture(theta);
                evaluation.meanAbsoluteError();
            };
            for (int i = 0; i < 30; i++) {
                report.run();
                serial.run();
            }
            Allocations.Measurement m = Allocations.repeat(5, () -> {
                long before = solveBytes[0];
                long training = Allocations.allocatedBy(() -> {
                    for (int i = 0; i < 5; i++) report.run();
                });
                long onThread = solveBytes[0] - before;
                long here = Allocations.allocatedBy(() -> {
                    for (int i = 0; i < 5; i++) serial.run();
                });
                return training + onThread + here;
            }, bytes -> bytes == 0, Allocations.BOUND);
            assertTrue(m.met(), "a report allocates after warm-up: " + m);
        }
    }
}
