/** JMH benchmarks and the performance-regression gate. */
module dev.panode.bench {
    requires dev.panode.adjoint;
    requires dev.panode.cli; // panode bench serve: the service under load
    requires dev.panode.io;
    requires jmh.core;
    requires info.picocli;
    requires jdk.management; // heap bytes per gradient (ThreadMXBean) in the reports
    requires com.fasterxml.jackson.databind;
    requires hipparchus.core;
    requires hipparchus.ode;
    exports dev.panode.bench.mlp;
    exports dev.panode.bench.gradients;
    exports dev.panode.bench.suite;
    exports dev.panode.bench.simd;
    exports dev.panode.bench.solvers;
    exports dev.panode.bench.batching;
    exports dev.panode.bench.cli;
    exports dev.panode.bench.serve;
    opens dev.panode.bench.cli to info.picocli;
}
