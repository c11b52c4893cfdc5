package dev.panode.blas.testing;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Whether this JVM's JIT compilers are at work: the tasks compiling and queued (the {@code Compiler.queue} diagnostic
 * command, as {@code jcmd PID Compiler.queue} prints it) and the total compilation time
 * ({@link CompilationMXBean#getTotalCompilationTime}, which grows only as compiles finish). Used by
 * {@link Allocations} to tell code still waiting for C2 from code that allocates in its steady state.
 */
final class JitActivity {
    private static final CompilationMXBean COMPILATION = ManagementFactory.getCompilationMXBean();
    private static final String[] NO_ARGUMENTS = {String[].class.getName()};

    private JitActivity() {}

    /** Milliseconds spent in finished compiles so far (0 when this JVM does not tell). */
    static long compilationMillis() {
        return COMPILATION != null && COMPILATION.isCompilationTimeMonitoringSupported()
                ? COMPILATION.getTotalCompilationTime() : 0;
    }

    /**
     * True when no method is being compiled and none is queued. A JVM without the diagnostic command counts as idle
     * here, so only the compilation time speaks for it.
     */
    static boolean idle() {
        String queue = compilerQueue();
        return queue == null || !queue.contains("::"); // every task line names a Class::method
    }

    /** The {@code Compiler.queue} diagnostic command's text, or null when it is not available. */
    static String compilerQueue() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
            return (String) server.invoke(name, "compilerQueue", new Object[] {null}, NO_ARGUMENTS);
        } catch (JMException | RuntimeException e) {
            return null;
        }
    }
}
