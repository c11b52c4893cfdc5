/** Explicit Runge–Kutta, linear multistep and implicit (stiff) solvers, step-size controllers, saving, dense output and events. */
module dev.panode.solvers {
    requires transitive dev.panode.simd;
    exports dev.panode.solvers;
    exports dev.panode.solvers.problems;
}
