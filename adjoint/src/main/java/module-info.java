/** Differentiable vector fields, the MLP, gradient methods, off-heap checkpoints, optimisers and training. */
module dev.panode.adjoint {
    requires transitive dev.panode.solvers;
    requires com.fasterxml.jackson.databind;
    requires static jdk.management; // allocation checks in tests (ThreadMXBean)
    exports dev.panode.adjoint;
    exports dev.panode.adjoint.training;
    exports dev.panode.adjoint.models.layers;
}
