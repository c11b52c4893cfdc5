package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void infoPrintsJdkVectorWidthBlasAndVersions() {
        Run r = run("info");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("JDK          " + Runtime.version()), r.out());
        assertTrue(r.out().matches("(?s).*Vector API   double: \\d+ lanes \\(\\d+ bits\\), float: \\d+ lanes.*"), r.out());
        assertTrue(r.out().contains("BLAS         "), r.out());
        String rule = dev.panode.blas.Blas.isAvailable() ? dev.panode.simd.Gemm.thresholds().describe() : "Java kernel always";
        assertTrue(r.out().contains("GEMM f64     " + rule), r.out());
        assertTrue(r.out().contains("GEMM f32     "), r.out());
        assertTrue(r.out().contains("  from       " + dev.panode.simd.Gemm.thresholdsOrigin()), r.out());
        assertTrue(r.out().contains("  from       " + dev.panode.simd.GemmF32.thresholdsOrigin()), r.out());
        assertTrue(dev.panode.simd.Gemm.thresholdsOrigin().startsWith("single rule")
                || dev.panode.simd.Gemm.thresholdsOrigin().startsWith("platform rule")
                || dev.panode.simd.Gemm.thresholdsOrigin().startsWith("override by system properties"), r.out());
        if (dev.panode.blas.Blas.isAvailable()) assertTrue(r.out().contains("  core       "), r.out());
        assertTrue(r.out().contains("Class data   "), r.out());
        assertTrue(r.out().contains("JIT          "), r.out());
        assertTrue(r.out().contains("picocli " + CommandLine.VERSION), r.out());
        assertTrue(!r.out().contains("unknown"), "every version recorded by the build: " + r.out());
    }

    @Test
    void everyCommandHasHelp() {
        Run top = run("--help");
        assertEquals(0, top.exit());
        assertTrue(top.out().contains("Usage: panode"), top.out());
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            Run r = run(sub, "--help");
            assertEquals(0, r.exit(), sub + ": " + r.err());
            assertTrue(r.out().contains("Usage: panode " + sub), sub + ": " + r.out());
        }
    }

    /** main's command line holds only the subcommand it runs, and runs it as the full one does. */
    @Test
    void theCommandLineForASubcommandHoldsOnlyThatOne() {
        assertEquals(java.util.Set.of("demo"), Main.commandLineFor(new String[] {"demo", "-n", "1"}).getSubcommands()
                .keySet());
        assertEquals(Main.commandLine().getSubcommands().keySet(),
                Main.commandLineFor(new String[] {"help", "demo"}).getSubcommands().keySet());
        assertEquals(Main.commandLine().getSubcommands().keySet(),
                Main.commandLineFor(new String[] {"--help"}).getSubcommands().keySet());
        assertEquals(Main.commandLine().getSubcommands().keySet(),
                Main.commandLineFor(new String[0]).getSubcommands().keySet());
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            if (sub.equals("help")) continue;
            CommandLine cl = Main.commandLineFor(new String[] {sub});
            StringWriter out = new StringWriter(), err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            assertEquals(0, cl.execute(sub, "--help"), sub + ": " + err);
            assertEquals(run(sub, "--help").out(), out.toString(), sub);
        }
        CommandLine cl = Main.commandLineFor(new String[] {"demo"});
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("demo", "--threads", "0"));
        assertTrue(err.toString().startsWith("panode demo: --threads must be >= 1, got 0"), err.toString());
    }

    /**
     * A demo run's command line leaves {@code demo cnf} out, unless an argument names it or is an {@code @file};
     * help, version and every argument it cannot parse get the full command line's output and exit code.
     */
    @Test
    void theDemosCommandLineLeavesItsSubcommandOutAndAnswersAsTheFullOne() {
        assertEquals(java.util.Set.of(), Main.commandLineFor(new String[] {"demo", "-n", "1"}).getSubcommands()
                .get("demo").getSubcommands().keySet());
        assertEquals(java.util.Set.of("cnf"), Main.commandLineFor(new String[] {"demo", "cnf", "-n", "1"})
                .getSubcommands().get("demo").getSubcommands().keySet());
        assertEquals(java.util.Set.of("cnf"), Main.commandLineFor(new String[] {"demo", "@args.txt"})
                .getSubcommands().get("demo").getSubcommands().keySet());
        String[][] cases = {{"demo", "--help"}, {"demo", "-h"}, {"demo", "-hV"}, {"demo", "-V"}, {"demo", "-n", "5", "--help"},
                {"demo", "--bogus"}, {"demo", "spiral", "extra"}, {"demo", "cfn"}, {"demo", "-n"}, {"demo", "--lr", "abc"},
                {"demo", "-n", "1", "-n", "2"}, {"demo", "--threads", "0"}, {"demo", "cnf", "--help"}, {"demo", "cnf", "--bogus"}};
        for (String[] args : cases) {
            CommandLine cl = Main.commandLineFor(args);
            StringWriter out = new StringWriter(), err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            Run full = run(args);
            String what = String.join(" ", args);
            assertEquals(full.exit(), cl.execute(args), what);
            assertEquals(full.out(), out.toString(), what);
            assertEquals(full.err(), err.toString(), what);
        }
    }

    @Test
    void versionNamesPanodeAndTheJdk() {
        Run r = run("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("panode 0."), r.out());
    }

    @Test
    void unknownCommandFailsWithUsage() {
        Run r = run("no-such-command");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unmatched argument"), r.err());
    }
}
