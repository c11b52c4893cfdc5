package dev.panode.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.io.Precision;
import dev.panode.solvers.Solution;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panode solve --problem FILE}: the states at the problem's times, as JSON or CSV. */
@Command(name = "solve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Solve a problem file's neural ODE and print the states at its times.",
            "",
            "The problem file is JSON: {\"model\": {\"layers\": [{\"W\": out x in, \"b\": out}, ...]}, \"z0\": batch x D,"
                    + " \"t\": [t0, ..., tK-1]} (tanh between layers, identity after the last; any reference file is a"
                    + " problem file). JSON output: {\"t\", \"z\" (K x batch x D, t0 included), \"stats\"}."
                    + " CSV output: one row per time and sample: t,sample,z0,...,zD-1.",
            "",
            "--dtype float32 (or \"dtype\": \"float32\" in the problem or model) solves in single precision at"
                    + " torchdiffeq's float32 tolerances (rtol 1e-4, atol 1e-6) unless --rtol/--atol say otherwise."})
final class SolveCommand extends ProblemCommand {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json or csv (default: ${DEFAULT-VALUE})")
    String format = "json";

    @Override
    public Integer call() throws Exception {
        ProblemFile p = problem.read();
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("json") && !f.equals("csv")) {
            throw new IllegalArgumentException("--format must be json or csv, got " + format);
        }
        Precision precision = solver.precision(p.dtype());
        boolean f32 = precision == Precision.FLOAT32;
        Solution sol = f32 ? Numerics.solveF32(p.model(), p.z0(), p.batch(), p.t(), solver).widened()
                : Numerics.solve(p.model(), p.z0(), p.batch(), p.t(), solver);
        PrintWriter out = spec.commandLine().getOut();
        int dim = p.model().dim();
        if (f.equals("csv")) {
            StringBuilder sb = new StringBuilder("t,sample");
            for (int i = 0; i < dim; i++) sb.append(",z").append(i);
            out.println(sb);
            for (int k = 0; k < sol.size(); k++) {
                for (int b = 0; b < p.batch(); b++) {
                    sb.setLength(0);
                    sb.append(sol.time(k)).append(',').append(b);
                    for (int i = 0; i < dim; i++) {
                        double v = sol.value(k, b, i);
                        sb.append(',');
                        if (f32) sb.append((float) v);
                        else sb.append(v);
                    }
                    out.println(sb);
                }
            }
        } else {
            ObjectNode root = JsonInterface.solution(sol, solver, p.batch(), dim, precision);
            out.println(JsonWarmUp.indented(root));
        }
        out.flush();
        return 0;
    }
}
