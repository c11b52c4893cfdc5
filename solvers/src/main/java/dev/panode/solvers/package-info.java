/**
 * Solving dy/dt = f(t, y) for a batch of states: the forward solver every other part of panode uses.
 *
 * <h2>Map</h2>
 * <ul>
 *   <li><b>Problem:</b> {@link dev.panode.solvers.VectorField} writes f(t, y) for a {@code rows × dim} row-major batch
 *       into a caller buffer; its scratch is a {@link dev.panode.solvers.FieldWorkspace}.</li>
 *   <li><b>Entry point:</b> {@link dev.panode.solvers.Solver#solve} (field, y0, rows, t0, t1, method, options[,
 *       workspace]) returns a {@link dev.panode.solvers.Solution} with {@link dev.panode.solvers.Stats} and a
 *       {@link dev.panode.solvers.Result}; failures throw {@link dev.panode.solvers.SolveException} (or
 *       {@link IllegalArgumentException} for invalid arguments) unless {@code throwOnFailure(false)}.</li>
 *   <li><b>Options:</b> {@link dev.panode.solvers.SolveOptions} (builder): {@link dev.panode.solvers.SaveAt},
 *       a {@link dev.panode.solvers.StepSizeController} ({@link dev.panode.solvers.ConstantStep},
 *       {@link dev.panode.solvers.IController}, {@link dev.panode.solvers.PidController}), tolerances, an
 *       {@link dev.panode.solvers.ErrorNorm}, step bounds, tstops, the torchdiffeq-compatible convention and a
 *       {@link dev.panode.solvers.StepObserver}.</li>
 *   <li><b>Methods:</b> {@link dev.panode.solvers.OdeMethod} is the extension point; {@link dev.panode.solvers.RungeKutta}
 *       ({@link dev.panode.solvers.ButcherTableau} + {@link dev.panode.solvers.Interpolant}) and
 *       {@link dev.panode.solvers.LinearMultistep} (leapfrog, Adams–Bashforth) implement it through a
 *       per-solve {@link dev.panode.solvers.Stepper}. For stiff problems: {@link dev.panode.solvers.Esdirk}
 *       (Kvaerno5, {@link dev.panode.solvers.DirkTableau}) and {@link dev.panode.solvers.Rosenbrock} (Rodas5P,
 *       {@link dev.panode.solvers.RosenbrockTableau}), with Jacobians from a {@link dev.panode.solvers.JacobianField}
 *       or by differences (docs/STIFF.md).</li>
 *   <li><b>Events:</b> {@link dev.panode.solvers.Events#solve} stops at the first zero crossing of an
 *       {@link dev.panode.solvers.Event}'s conditions and returns an {@link dev.panode.solvers.EventSolution}.</li>
 *   <li><b>For gradients:</b> {@link dev.panode.solvers.StepView} (each accepted step: t, h, states, stages, stage
 *       inputs), {@link dev.panode.solvers.RungeKutta#step} (replay one step into an
 *       {@link dev.panode.solvers.RkWorkspace}), {@link dev.panode.solvers.Interpolant#weights} (the dense output's
 *       stage weights), backward solves (t1 &lt; t0) and custom norms such as
 *       {@link dev.panode.solvers.ErrorNorm#seminorm}.</li>
 *   <li><b>Scratch:</b> {@link dev.panode.solvers.SolverWorkspace}, reusable across solves: after warm-up a solve
 *       allocates only its Solution.</li>
 *   <li><b>Test problems:</b> {@link dev.panode.solvers.problems} (Lorenz, Van der Pol, and the IVP Test Set's HIRES,
 *       VDPOL and ROBER with their reference values), for checking and comparing solvers.</li>
 * </ul>
 */
package dev.panode.solvers;
