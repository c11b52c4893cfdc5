package dev.panode.cli;

import dev.panode.blas.Blas;
import dev.panode.blas.BlasInfo;
import dev.panode.simd.Gemm;
import dev.panode.simd.GemmF32;
import dev.panode.simd.GemmThresholds;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Callable;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code panode info}: the JDK, the Vector API species, the BLAS backend (with OpenBLAS's core), the GEMM dispatch
 * thresholds in force for f64 and f32, the class-data archive (or AOT cache) and JIT settings the JVM was started with,
 * and the library versions.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the JDK, the Vector API species width, the BLAS backend (config, core, threads, library), "
                + "the GEMM dispatch thresholds in force (f64 and f32), the class-data archive or AOT cache and the JIT "
                + "settings in use, and the library versions.")
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Runtime.Version jdk = Runtime.version();
        out.printf("panode       %s%n", Versions.of("panode"));
        out.printf("JDK          %s (%s), %s%n", jdk, System.getProperty("java.vendor"), System.getProperty("java.home"));
        out.printf("OS / CPU     %s %s %s, %d processors%n", System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
        out.printf("Vector API   double: %d lanes (%d bits), float: %d lanes (%d bits)%n",
                DoubleVector.SPECIES_PREFERRED.length(), DoubleVector.SPECIES_PREFERRED.vectorBitSize(),
                FloatVector.SPECIES_PREFERRED.length(), FloatVector.SPECIES_PREFERRED.vectorBitSize());
        BlasInfo blas = Blas.info();
        if (blas.isNative()) {
            out.printf("BLAS         OpenBLAS (%s)%n", describe(blas));
            out.printf("  library    %s%n", blas.location());
            out.printf("  config     %s%n", blas.config());
            out.printf("  core       %s%n", blas.coreName());
            out.printf("  threads    %d%n", blas.threads());
        } else {
            out.printf("BLAS         pure-Java fallback (no native BLAS)%n");
            out.printf("  why        %s%n", blas.message());
        }
        out.printf("GEMM f64     %s%n", dispatch(Gemm.thresholds(), blas.isNative()));
        out.printf("  from       %s%n", Gemm.thresholdsOrigin());
        out.printf("GEMM f32     %s%n", dispatch(GemmF32.thresholds(), blas.isNative()));
        out.printf("  from       %s%n", GemmF32.thresholdsOrigin());
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        out.printf("Class data   %s%n", StartupSettings.classData(jvmArgs));
        out.printf("JIT          %s%n", StartupSettings.jit(jvmArgs));
        out.printf("Libraries    picocli %s, Jackson %s, XChart %s, JMH %s, Hipparchus %s, bundled OpenBLAS jar %s (optional)%n",
                Versions.of("picocli"), Versions.of("jackson"), Versions.of("xchart"), Versions.of("jmh"),
                Versions.of("hipparchus"), Versions.of("openblas.jar"));
        out.flush();
        return 0;
    }

    /** The dispatch thresholds in force. */
    private static String dispatch(GemmThresholds t, boolean nativeBlas) {
        if (!nativeBlas) return "Java kernel always (no native BLAS)";
        return t.describe() + ", else the Java kernel";
    }

    private static String describe(BlasInfo blas) {
        return switch (blas.source()) {
            case EXPLICIT_PATH -> "explicit path";
            case SYSTEM -> "system library";
            case BUNDLED -> "bundled jar, verified copy";
            case NONE -> "none";
        };
    }
}
