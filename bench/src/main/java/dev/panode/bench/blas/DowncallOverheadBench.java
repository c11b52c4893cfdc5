package dev.panode.bench.blas;

import dev.panode.bench.suite.PanodeBenchmark;
import dev.panode.blas.Blas;
import dev.panode.blas.ffi.Cblas;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one downcall costs, on {@code cblas_ddot} of n elements (tiny work, so the transition dominates) and on
 * {@code openblas_get_num_threads} (no work at all):
 * <ul>
 *   <li>{@code critical*}: panode's handles, {@code Linker.Option.critical(true)}, heap arrays passed in place;</li>
 *   <li>{@code normal*}: an ordinary downcall handle to the same symbol; it cannot take heap memory, so either the data
 *       already lives off-heap ({@code normalNative}) or it is copied there first ({@code normalCopy}, the price of an
 *       ordinary downcall on {@code double[]} data);</li>
 *   <li>{@code facade}: {@code Blas.ddot}, the checked facade (checks + critical downcall).</li>
 * </ul>
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DowncallOverheadBench extends PanodeBenchmark {
    @Param({"1", "64"})
    public int n;

    private double[] x, y;
    private Arena arena;
    private MemorySegment xNative, yNative, xScratch, yScratch;
    private MethodHandle ddotNormal, threadsNormal, threadsCritical;

    @Setup(Level.Trial)
    public void setUp() {
        BlasBenchSupport.requireNative();
        SplittableRandom rnd = new SplittableRandom(1);
        x = rnd.doubles(n, -1, 1).toArray();
        y = rnd.doubles(n, -1, 1).toArray();
        arena = Arena.ofConfined();
        xNative = arena.allocate(8L * n, 8);
        yNative = arena.allocate(8L * n, 8);
        xScratch = arena.allocate(8L * n, 8);
        yScratch = arena.allocate(8L * n, 8);
        MemorySegment.copy(x, 0, xNative, ValueLayout.JAVA_DOUBLE, 0, n);
        MemorySegment.copy(y, 0, yNative, ValueLayout.JAVA_DOUBLE, 0, n);
        Linker linker = Linker.nativeLinker();
        ddotNormal = linker.downcallHandle(Cblas.cblas_ddot$address(), Cblas.cblas_ddot$descriptor());
        threadsNormal = linker.downcallHandle(Cblas.openblas_get_num_threads$address(), FunctionDescriptor.of(ValueLayout.JAVA_INT));
        threadsCritical = linker.downcallHandle(Cblas.openblas_get_num_threads$address(), FunctionDescriptor.of(ValueLayout.JAVA_INT),
                Linker.Option.critical(false));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public double criticalHeap() {
        return Cblas.cblas_ddot(n, MemorySegment.ofArray(x), 1, MemorySegment.ofArray(y), 1);
    }

    @Benchmark
    public double normalNative() throws Throwable {
        return (double) ddotNormal.invokeExact(n, xNative, 1, yNative, 1);
    }

    @Benchmark
    public double normalCopy() throws Throwable {
        MemorySegment.copy(x, 0, xScratch, ValueLayout.JAVA_DOUBLE, 0, n);
        MemorySegment.copy(y, 0, yScratch, ValueLayout.JAVA_DOUBLE, 0, n);
        return (double) ddotNormal.invokeExact(n, xScratch, 1, yScratch, 1);
    }

    @Benchmark
    public double facade() {
        return Blas.ddot(n, x, 0, 1, y, 0, 1);
    }

    @Benchmark
    public int emptyCallNormal() throws Throwable {
        return (int) threadsNormal.invokeExact();
    }

    @Benchmark
    public int emptyCallCritical() throws Throwable {
        return (int) threadsCritical.invokeExact();
    }
}
