/** JMH benchmarks and the performance-regression gate. */
module dev.panode.bench {
    requires dev.panode.adjoint;
    requires jmh.core;
    requires jdk.management; // heap bytes per gradient (ThreadMXBean) in the reports
    requires com.fasterxml.jackson.databind;
    exports dev.panode.bench.mlp;
    exports dev.panode.bench.gradients;
}
