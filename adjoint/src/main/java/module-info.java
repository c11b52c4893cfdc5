/**
 * Differentiable vector fields and the MLP ({@code models}), gradient methods with their checkpoint store
 * ({@code gradients}), optimisers and training ({@code training}).
 */
module dev.panode.adjoint {
    requires transitive dev.panode.solvers;
    requires static jdk.management; // allocation checks in tests (ThreadMXBean)
    exports dev.panode.adjoint.models;
    exports dev.panode.adjoint.gradients;
    exports dev.panode.adjoint.training;
    exports dev.panode.adjoint.models.layers;
    exports dev.panode.adjoint.models.cnf;
}
