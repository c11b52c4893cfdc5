/** JMH benchmarks and the performance-regression gate. */
module dev.panode.bench {
    requires dev.panode.adjoint;
    requires jmh.core;
    requires com.fasterxml.jackson.databind;
    exports dev.panode.bench.mlp;
}
