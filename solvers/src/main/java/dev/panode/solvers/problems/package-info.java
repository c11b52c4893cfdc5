/**
 * Classic ODE test problems with known behaviour or published reference solutions, for checking and comparing
 * solvers: {@link dev.panode.solvers.problems.ClassicProblems} (Lorenz, Van der Pol, non-stiff) and
 * {@link dev.panode.solvers.problems.IvpTestSet} (HIRES, Van der Pol ε = 1e-6, Robertson: stiff, with analytic
 * Jacobians and the IVP Test Set's reference values, each a {@link dev.panode.solvers.problems.ReferenceProblem}).
 * Every field is evaluated row-wise over a batch and allocates nothing.
 */
package dev.panode.solvers.problems;
