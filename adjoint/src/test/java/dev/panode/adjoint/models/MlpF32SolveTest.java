package dev.panode.adjoint.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.adjoint.testing.ReferenceData;
import dev.panode.blas.testing.Allocations;
import dev.panode.simd.NormKind;
import dev.panode.solvers.ErrorNorm;
import dev.panode.solvers.Methods;
import dev.panode.solvers.OdeMethod;
import dev.panode.solvers.OdeProblemF32;
import dev.panode.solvers.Result;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SaveAt;
import dev.panode.solvers.Solution;
import dev.panode.solvers.SolutionF32;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;
import dev.panode.solvers.SolverWorkspace;
import dev.panode.solvers.SolverWorkspaceF32;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 solves of {@link MlpF32} against torchdiffeq's float32 runs of the bench problems (NFE and error), and
 * against the double solve of the same float-rounded model (within a rounding bound derived below).
 */
class MlpF32SolveTest {
    /** Unit roundoff of float, 2⁻²⁴. */
    private static final double U = Math.ulp(1.0f) / 2;
    /** Per-evaluation error of MlpF32 against the double MLP, relative to 1 + |f| (MlpF32Test's tolerance). */
    private static final double EVAL_ERROR = 2e-6;
    private static final SolveOptions TORCHDIFFEQ_F32 = SolveOptions.builder().rtol(1e-4).atol(1e-6)
            .torchdiffeqCompatible(true).build();

    /** One bench case: the double model, its float twin, the double model of the float parameters, z0. */
    record Case(String file, Mlp mlp, MlpF32 f32, Mlp rounded, double[] z0, int rows) {
        float[] z0f() {
            float[] z = new float[z0.length];
            for (int i = 0; i < z.length; i++) z[i] = (float) z0[i];
            return z;
        }

        double[] z0Rounded() {
            double[] z = new double[z0.length];
            for (int i = 0; i < z.length; i++) z[i] = (float) z0[i];
            return z;
        }
    }

    static Case load(String file) {
        JsonNode root = ReferenceData.read(file);
        JsonNode model = root.get("model");
        JsonNode gen = model.get("generator");
        int d = model.get("D").asInt(), h = model.get("H").asInt(), rows = model.get("batch").asInt();
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(d, h), Initialisation.PYTORCH_DEFAULT,
                gen.get("weight_seed").asLong(), gen.get("scale").asDouble());
        double sum = 0;
        for (double p : mlp.parameters()) sum += p;
        assertEquals(model.get("param_checksums").get("sum").asDouble(), sum, 1e-9 * Math.max(1, Math.abs(sum)),
                "regenerated weights of " + file);
        double[] z0;
        if (root.get("z0") != null && root.get("z0").isArray()) {
            z0 = ReferenceData.flat(root.get("z0"));
        } else {
            SplitMix64 rng = new SplitMix64(gen.get("z0_seed").asLong());
            double range = gen.get("z0_range").asDouble();
            z0 = new double[rows * d];
            for (int i = 0; i < z0.length; i++) z0[i] = rng.uniform(-range, range);
        }
        MlpF32 f32 = MlpF32.of(mlp);
        double[] p = new double[f32.parameterCount()];
        for (int i = 0; i < p.length; i++) p[i] = f32.parameters()[i];
        return new Case(file, mlp, f32, mlp.withParameters(p), z0, rows);
    }

    static Stream<Arguments> benchRuns() {
        List<Arguments> out = new ArrayList<>();
        for (String file : new String[] {"bench_d2_h50_b1.json", "bench_d2_h50_b16.json", "bench_d2_h50_b16_s3.json",
                "bench_d2_h64_b1024.json", "bench_d32_h256_b256.json"}) {
            for (JsonNode run : ReferenceData.read(file).get("runs")) {
                out.add(Arguments.of(file, run.get("t").get(1).asDouble()));
            }
        }
        return out.stream();
    }

    private static JsonNode run(String file, double tEnd) {
        for (JsonNode r : ReferenceData.read(file).get("runs")) if (r.get("t").get(1).asDouble() == tEnd) return r;
        throw new AssertionError("no run to T = " + tEnd + " in " + file);
    }

    /** torchdiffeq 0.2.5's float32 dopri5 NFE of a bench case (rtol 1e-4, atol 1e-6), run 2026-12-06. */
    private static long torchdiffeqFloat32Nfe(String file, double tEnd) {
        JsonNode nfe = ReferenceData.read("torchdiffeq_float32_nfe.json");
        assertEquals(1e-4, nfe.get("tol").get("rtol").asDouble());
        String name = file.replace("bench_", "").replace(".json", "");
        for (JsonNode r : nfe.get("runs")) {
            if (r.get("case").asText().equals(name) && r.get("T").asDouble() == tEnd) return r.get("nfe").asLong();
        }
        throw new AssertionError("no torchdiffeq float32 run of " + name + " to T = " + tEnd);
    }

    /**
     * torchdiffeq's float32 NFE exactly, and its accuracy against the dop853 reference: within 1.5× of torchdiffeq's
     * float32 error or within 1.1× of panode's double solve of the same float-rounded model at the same tolerances
     * (dopri5's truncation error, which dominates at rtol 1e-4: on d2_h50_b1 to T = 10 the double solve errs by
     * 2.79e-4 where torchdiffeq's float32 solve erred by 1.86e-4, so a float solve as accurate as the double one can
     * lie either side of 1.5× torchdiffeq's error as its rounding changes).
     */
    @ParameterizedTest(name = "{0} T={1}")
    @MethodSource("benchRuns")
    void dopri5TakesTorchdiffeqsFloat32StepsAndMatchesItsAccuracy(String file, double tEnd) {
        Case c = load(file);
        JsonNode run = run(file, tEnd);
        JsonNode td = run.get("torchdiffeq_dopri5_float32");
        assertEquals(1e-4, td.get("tol").get("rtol").asDouble());
        assertEquals(1e-6, td.get("tol").get("atol").asDouble());

        SolutionF32 sol = Solver.solve(c.f32(), c.z0f(), c.rows(), 0.0, tEnd, RungeKutta.dopri5(), TORCHDIFFEQ_F32,
                new SolverWorkspaceF32());

        assertEquals(torchdiffeqFloat32Nfe(file, tEnd), sol.stats().nfe(),
                "NFE of torchdiffeq's float32 dopri5 on " + file + " (torchdiffeq_float32_nfe.json)");
        float[] zT = sol.lastState();
        JsonNode ref = run.get("zT_dop853_rtol1e-13_atol1e-14");
        double[] want = ref != null && ref.isArray() ? ReferenceData.flat(ref) : ReferenceData.flat(run.get("zT_first_rows"));
        double err = 0;
        for (int i = 0; i < want.length; i++) err = Math.max(err, Math.abs(zT[i] - want[i]));
        double recorded = td.get("max_abs_err_vs_dop853").asDouble();
        // dopri5's own truncation error at these tolerances: the double solve of the same float-rounded model
        double[] zd = Solver.solve(c.rounded(), c.z0Rounded(), c.rows(), 0.0, tEnd, RungeKutta.dopri5(),
                TORCHDIFFEQ_F32, new SolverWorkspace()).lastState();
        double errDouble = 0;
        for (int i = 0; i < want.length; i++) errDouble = Math.max(errDouble, Math.abs(zd[i] - want[i]));
        System.out.printf("%s T=%s: f32 NFE %d, max |z(T) − dop853| %.3e (torchdiffeq float32 %.3e, panode float64 at"
                + " the same tolerances %.3e)%n", file, tEnd, sol.stats().nfe(), err, recorded, errDouble);
        // as accurate as torchdiffeq's float32 solve, or as the double solve whose truncation error both share
        assertTrue(err <= Math.max(1.5 * recorded, 1.1 * errDouble) + 1e-6, "max abs error " + err
                + " vs torchdiffeq float32's " + recorded + " and the double solve's " + errDouble);
    }

    /**
     * The float solve and the double solve of the same float-rounded model and initial state take the same steps,
     * and differ by float rounding alone. The bound: each of the N accepted steps rounds the new state and its stage
     * combinations (≤ 2u·(1 + max|y|) per component, u = 2⁻²⁴), and each evaluation errs by at most EVAL_ERROR·(1 +
     * max|f|), which the weights b (Σ|b_i| ≤ 2 for every method here) integrate over |T|; the flow then amplifies
     * these local errors by at most its growth factor G, measured on the double solve by perturbing y0 (G ≥ 1). So
     * max|y32 − y64| ≤ G·((N + 1)·2u·(1 + max|y|) + 2·|T|·EVAL_ERROR·(1 + max|f|)).
     */
    private static void assertWithinRounding(Case c, OdeMethod method, SolveOptions options, double tEnd) {
        assertWithinRounding(c, method, options, tEnd, false);
    }

    /**
     * As above; with {@code interpolatedEnd} (torchdiffeq's convention: the last step passes t1 and y(t1) is
     * interpolated) the bound adds the interpolant's error, G·(rtol·(1 + max|y|) + atol) per step: float's error
     * estimate has a noise floor of about u·|h|·Σ|e_i|·|k| that moves the step sizes by more than rounding when the
     * estimate is far below the tolerance, and the interpolated y(t1) then differs by the interpolant's own error.
     */
    private static void assertWithinRounding(Case c, OdeMethod method, SolveOptions options, double tEnd,
                                             boolean interpolatedEnd) {
        double[] z0 = c.z0Rounded();
        SolutionF32 f = Solver.solve(c.f32(), c.z0f(), c.rows(), 0.0, tEnd, method, options, new SolverWorkspaceF32());
        Solution d = Solver.solve(c.rounded(), z0, c.rows(), 0.0, tEnd, method, options, new SolverWorkspace());
        String what = method.name() + " on " + c.file() + " to T = " + tEnd;
        assertEquals(d.stats().nfe(), f.stats().nfe(), "NFE of " + what);
        assertEquals(d.stats().accepted(), f.stats().accepted(), "accepted steps of " + what);
        assertEquals(d.size(), f.size(), "saves of " + what);
        // the flow's growth G over [0, T] from a perturbation δ of every component, on one fixed rk4 grid (so that
        // both trajectories take the same steps and the difference is the flow's, not the controller's)
        double delta = 1e-4;
        double[] zp = z0.clone();
        for (int i = 0; i < zp.length; i++) zp[i] += (i % 2 == 0 ? delta : -delta);
        SolveOptions grid = SolveOptions.builder().steps(64).saveAt(SaveAt.steps()).build();
        double[] g0 = Solver.solve(c.rounded(), z0, c.rows(), 0.0, tEnd, RungeKutta.rk4(), grid).states();
        double[] g1 = Solver.solve(c.rounded(), zp, c.rows(), 0.0, tEnd, RungeKutta.rk4(), grid).states();
        double growth = 1;
        for (int i = 0; i < g0.length; i++) growth = Math.max(growth, Math.abs(g0[i] - g1[i]) / delta);
        double[] a = d.states();
        double yMax = 0, fMax = 0;
        for (double v : a) yMax = Math.max(yMax, Math.abs(v));
        // |f| along the path, from y0 and every saved state
        double[] fk = new double[z0.length];
        var fws = c.rounded().newWorkspace(c.rows());
        for (int k = -1; k < d.size(); k++) {
            c.rounded().evaluate(0.0, k < 0 ? z0 : d.state(k), fk, c.rows(), fws);
            for (double v : fk) fMax = Math.max(fMax, Math.abs(v));
        }
        double bound = growth * ((d.stats().accepted() + 1) * 2 * U * (1 + yMax) + 2 * Math.abs(tEnd) * EVAL_ERROR
                * (1 + fMax));
        if (interpolatedEnd) bound += growth * d.stats().accepted() * (options.rtol() * (1 + yMax) + options.atol());
        float[] got = f.states();
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(got[i] - a[i]));
        System.out.printf("%s: max |f32 − f64| %.3e, bound %.3e (G %.2f, %d steps)%n", what, worst, bound, growth,
                d.stats().accepted());
        assertTrue(worst <= bound, what + ": max |f32 − f64| = " + worst + " > bound " + bound);
    }

    @Test
    void everyExplicitMethodMatchesTheDoubleSolveWithinFloatRounding() {
        Case c = load("bench_d2_h50_b16.json");
        SolveOptions adaptive = SolveOptions.builder().rtol(1e-4).atol(1e-6).build();
        for (String name : new String[] {"dopri5", "tsit5", "bosh3"}) {
            assertWithinRounding(c, Methods.byName(name), adaptive, 1.0);
        }
        // dop853's eighth-order estimate is below float's rounding of the stages at these tolerances: it takes more
        // steps in float than in double (37 against 25 evaluations here) but stays as accurate as asked
        SolutionF32 dop853 = Solver.solve(c.f32(), c.z0f(), c.rows(), 0.0, 1.0, RungeKutta.dop853(), adaptive,
                new SolverWorkspaceF32());
        double[] exact = Solver.solve(c.rounded(), c.z0Rounded(), c.rows(), 0.0, 1.0, RungeKutta.dop853(),
                SolveOptions.builder().rtol(1e-12).atol(1e-14).build()).lastState();
        float[] got = dop853.lastState();
        for (int i = 0; i < exact.length; i++) {
            assertTrue(Math.abs(got[i] - exact[i]) <= 1e-4 * (1e-2 + Math.abs(exact[i])), "dop853 component " + i);
        }
        assertWithinRounding(c, RungeKutta.dopri5(), TORCHDIFFEQ_F32, 1.0, true);
        SolveOptions fixed = SolveOptions.builder().steps(20).build();
        for (String name : new String[] {"rk4", "rk4-38", "euler", "midpoint", "heun", "ralston"}) {
            assertWithinRounding(c, Methods.byName(name), fixed, 1.0);
        }
        // backwards, and with save times inside steps (interpolated)
        assertWithinRounding(c, RungeKutta.tsit5(), adaptive, -1.0);
        SolveOptions times = adaptive.toBuilder().saveAt(SaveAt.times(0.0, 0.1, 0.35, 0.6, 1.0)).build();
        assertWithinRounding(c, RungeKutta.dopri5(), times, 1.0);
        assertWithinRounding(c, RungeKutta.rk4(), fixed.toBuilder().saveAt(SaveAt.times(0.0, 0.33, 1.0)).build(), 1.0);
        assertWithinRounding(c, RungeKutta.bosh3(), adaptive.toBuilder().saveAt(SaveAt.steps()).build(), 1.0);
        assertWithinRounding(load("bench_d32_h256_b256.json"), RungeKutta.dopri5(), adaptive, 1.0);
    }

    @Test
    void theProblemFormSavesOnItsGridWithFloat32Defaults() {
        Case c = load("bench_d2_h50_b16.json");
        OdeProblemF32<MlpF32> problem = OdeProblemF32.of(c.f32(), c.z0f(), 0.0, 0.5, 1.0);
        SolutionF32 sol = Solver.solve(problem);
        assertEquals(3, sol.size());
        assertEquals(0.5, sol.time(1));
        float[] z0 = c.z0f();
        for (int i = 0; i < z0.length; i++) assertEquals(z0[i], sol.state(0)[i]);
        SolutionF32 explicit = Solver.solve(c.f32(), c.z0f(), c.rows(), 0.0, 1.0, RungeKutta.dopri5(),
                SolveOptions.builder().rtol(1e-4).atol(1e-6).saveAt(SaveAt.times(0.0, 0.5, 1.0)).build(),
                new SolverWorkspaceF32());
        assertEquals(explicit.stats(), sol.stats(), "the defaults are rtol 1e-4, atol 1e-6");
        for (int i = 0; i < 3; i++) assertEquals(java.util.Arrays.toString(explicit.state(i)), java.util.Arrays.toString(sol.state(i)));
        assertThrows(IllegalArgumentException.class, () -> Solver.solve(problem, RungeKutta.dopri5(),
                SolveOptions.builder().saveAt(SaveAt.t1()).build()));
    }

    @Test
    void aWarmFloatSolveAllocatesNothing() {
        Case c = load("bench_d2_h50_b16.json");
        SolverWorkspaceF32 ws = new SolverWorkspaceF32();
        float[] z0 = c.z0f();
        float[] saved = new float[3 * z0.length];
        SolveOptions options = TORCHDIFFEQ_F32.toBuilder().saveAt(SaveAt.times(0.0, 0.4, 1.0)).build();
        Result first = Solver.solveInto(c.f32(), z0, c.rows(), 0.0, 1.0, RungeKutta.dopri5(), options, ws, saved);
        assertEquals(Result.SUCCESSFUL, first);
        Allocations.assertNoAllocation("a warm float32 dopri5 solve",
                () -> Solver.solveInto(c.f32(), z0, c.rows(), 0.0, 1.0, RungeKutta.dopri5(), options, ws, saved));
        SolveOptions rk4 = SolveOptions.builder().steps(10).build();
        Allocations.assertNoAllocation("a warm float32 rk4 solve",
                () -> Solver.solveInto(c.f32(), z0, c.rows(), 0.0, 1.0, RungeKutta.rk4(), rk4, ws, saved));
    }

    @Test
    void whatFloat32CannotDoIsRefusedByName() {
        Case c = load("bench_d2_h50_b1.json");
        SolverWorkspaceF32 ws = new SolverWorkspaceF32();
        float[] z0 = c.z0f();
        String implicit = assertThrows(IllegalArgumentException.class, () -> Solver.solve(c.f32(), z0, 1, 0.0, 1.0,
                Methods.byName("kvaerno5"), SolveOptions.defaults(), ws)).getMessage();
        assertTrue(implicit.contains("method must be an explicit Runge–Kutta method") && implicit.contains("kvaerno5"),
                implicit);
        String norm = assertThrows(IllegalArgumentException.class, () -> Solver.solve(c.f32(), z0, 1, 0.0, 1.0,
                RungeKutta.dopri5(), SolveOptions.builder().errorNorm(ErrorNorm.worstRow(NormKind.RMS)).build(), ws))
                .getMessage();
        assertTrue(norm.contains("options.errorNorm"), norm);
        String perComponent = assertThrows(IllegalArgumentException.class, () -> Solver.solve(c.f32(), z0, 1, 0.0, 1.0,
                RungeKutta.dopri5(), SolveOptions.builder().atol(new double[] {1e-6, 1e-7}).build(), ws)).getMessage();
        assertTrue(perComponent.contains("per-component tolerances"), perComponent);
        String dense = assertThrows(IllegalArgumentException.class, () -> Solver.solve(c.f32(), z0, 1, 0.0, 1.0,
                RungeKutta.dopri5(), SolveOptions.builder().saveAt(SaveAt.dense()).build(), ws)).getMessage();
        assertTrue(dense.contains("options.saveAt"), dense);
        String nan = assertThrows(IllegalArgumentException.class, () -> Solver.solve(c.f32(), new float[] {1, Float.NaN},
                1, 0.0, 1.0, RungeKutta.dopri5(), SolveOptions.defaults(), ws)).getMessage();
        assertTrue(nan.contains("y0[1]") && nan.contains("NaN"), nan);
        String length = assertThrows(IllegalArgumentException.class, () -> Solver.solve(c.f32(), new float[3], 1, 0.0,
                1.0, RungeKutta.dopri5(), SolveOptions.defaults(), ws)).getMessage();
        assertTrue(length.contains("y0 must have length"), length);
        SolutionF32 quiet = Solver.solve(c.f32(), z0, 1, 0.0, 0.0, RungeKutta.dopri5(),
                SolveOptions.builder().throwOnFailure(false).build(), ws);
        assertEquals(Result.INVALID_ARGUMENT, quiet.result());
        assertTrue(quiet.message().contains("t0 and t1 must differ"), quiet.message());
    }
}
