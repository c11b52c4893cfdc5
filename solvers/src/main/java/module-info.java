/** Explicit Runge–Kutta and linear multistep solvers, step-size controllers, saving and dense output. */
module dev.panode.solvers {
    requires transitive dev.panode.simd;
    exports dev.panode.solvers;
}
