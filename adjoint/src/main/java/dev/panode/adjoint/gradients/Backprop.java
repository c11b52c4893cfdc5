package dev.panode.adjoint.gradients;

/**
 * Backpropagation through the solver ("discretise, then optimise"): the exact gradient of the numerical solution,
 * for every explicit Runge–Kutta method, adaptive ones included (the accepted step sizes are treated as constants,
 * as diffrax and torchdiffeq do).
 *
 * <p>The forward pass records the accepted (t, h) sequence and keeps states in an off-heap {@link CheckpointStore}
 * according to {@link #checkpointing()}; the backward pass replays exactly those steps and reverses each one
 * (docs/ALGORITHMS.md §7): s − 1 field evaluations to rebuild the stage inputs, then s vector–Jacobian products.
 * Save times inside a step differentiate the interpolant.
 *
 * <p>Implicit methods ({@link dev.panode.solvers.Esdirk}, {@link dev.panode.solvers.Rosenbrock}): the forward solve
 * lands on every observation time (they join its tstops), and each step is reversed by the discrete adjoint of the
 * method with its stage equations solved exactly — the transposed stage systems run through the LU of I − γhJ
 * ({@code dgetrs} with trans = 'T'), the Jacobian from VJPs; for Rosenbrock methods the Jacobian's own derivative
 * (second derivatives of f, by central differences of VJPs) is included, since J appears in the step formula. See
 * {@code EsdirkReverse} and {@code RosenbrockReverse} and docs/STIFF.md. The Newton iteration itself is not
 * differentiated: the gradient is that of the exactly solved step, which the forward solve matches to its Newton
 * tolerance.
 *
 * <p>Saved stages ({@link #stageSaving()}, {@link StageSaving#AUTO} by default): when the field saves its evaluations
 * ({@link dev.panode.adjoint.models.DifferentiableField#savedLength} &gt; 0, as {@link dev.panode.adjoint.models.Mlp}
 * does) and the states and saved stages of every step fit the budget together, the forward pass also keeps each
 * accepted step's stage evaluations ({@link dev.panode.adjoint.models.DifferentiableField#evaluateSaving}) in heap
 * blocks, and each VJP runs from them ({@link dev.panode.adjoint.models.DifferentiableField#vjpFromSaved}): no stage
 * rebuild, and for an MLP two matrix products per layer and stage backwards instead of four. The blocks are handed
 * from the forward to the backward pass as they are (the MLP's layers write their activations straight into them and
 * read them there), and a session reuses them from one gradient to the next; they take at most half of the heap's
 * maximum (past that the stages are rebuilt). {@link StageSaving#AUTO} saves unless the field has almost no arithmetic
 * per saved double. The bits are the same either way; {@link GradientStats#stagesSaved()} says which ran. Memory per
 * step: 8·rows·dim bytes off-heap and 8·s·savedLength on the heap (for an MLP the layer outputs of every stage, what
 * autograd's tape keeps). With a finite budget the stages are dropped, and the schedules below run, once the steps so
 * far no longer fit; the blocks already made stay in the session's pool (at most about the budget).
 *
 * <p>Checkpointing: with {@link Checkpointing#all()} every step's starting state is stored and nothing is
 * recomputed. With c slots ({@link Checkpointing#binomial} or derived from {@link Checkpointing#budget}) every step is
 * stored while it fits; when the solve has more steps n than slots, the steps are reversed with Griewank's binomial
 * schedule ({@link Revolve}), which recomputes T(n, c) forward steps (the theory's minimum, sweep included). When n is
 * known before the solve ({@code ConstantStep.steps(n)}) the forward pass stores the schedule's first-sweep
 * checkpoints itself, so only T(n, c) − (n − 1) steps are recomputed. Off-heap memory never exceeds the budget
 * (c·8·rows·dim bytes); heap use is the per-step (t, h) record and one step's stages.
 *
 * <p>Cost: one forward solve, plus the recomputed steps of the schedule, plus about 2s evaluations per step
 * backwards (s − 1 to rebuild the stages, s VJPs). It is the reference every other method is measured against. When not to use: very long solves with no
 * memory to spare, where {@link BacksolveAdjoint} needs O(1) memory (at a price in accuracy).
 *
 * @param checkpointing which states are stored (ALL, binomial with c slots, or a byte budget)
 * @param stageSaving   whether stage evaluations are kept for the backward pass (within the budget)
 */
public record Backprop(Checkpointing checkpointing, StageSaving stageSaving) implements GradientMethod {

    /**
     * Backprop storing the forward states as {@code checkpointing} says and the stages as {@code stageSaving} says.
     *
     * @throws IllegalArgumentException if an argument is null
     */
    public Backprop {
        if (checkpointing == null) throw new IllegalArgumentException("checkpointing must be non-null");
        if (stageSaving == null) throw new IllegalArgumentException("stageSaving must be non-null");
    }

    /**
     * Backprop storing the forward states as {@code checkpointing} says, saving stages where it pays
     * ({@link StageSaving#AUTO}).
     *
     * @throws IllegalArgumentException if {@code checkpointing} is null
     */
    public Backprop(Checkpointing checkpointing) {
        this(checkpointing, StageSaving.AUTO);
    }

    /** The same checkpointing with stages kept as {@code stageSaving} says. */
    public Backprop withStageSaving(StageSaving stageSaving) {
        return new Backprop(checkpointing, stageSaving);
    }

    /** Every step stored: no recomputation. */
    public static Backprop storeAll() {
        return new Backprop(Checkpointing.all());
    }
}
