package dev.panode.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.ChildJvm;
import dev.panode.simd.VectorApi;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} gets, at the first use of each entry point (each
 * in a fresh JVM), an {@link IllegalStateException} naming that flag, not a
 * {@code NoClassDefFoundError: jdk/incubator/vector/Vector}; with the flag the same calls succeed.
 */
class MissingVectorModuleTest {
    private static final String[] ENTRY_POINTS = {"solve", "gradient", "mlp", "activation", "json"};

    @ParameterizedTest
    @ValueSource(strings = {"solve", "gradient", "mlp", "activation", "json"})
    void firstUseWithoutTheFlagThrowsAnExceptionNamingTheFlag(String entryPoint) throws Exception {
        ChildJvm.Result child = ChildJvm.run(MissingVectorModuleProbe.class, List.of("-Dpanode.blas.disable=true"),
                e -> true, entryPoint);
        assertEquals(0, child.exitCode(), child.stderr());
        String out = child.stdout().strip();
        assertTrue(out.startsWith("thrown=" + IllegalStateException.class.getName() + ": "), out);
        assertTrue(out.contains("start java with " + VectorApi.FLAG), out);
    }

    @Test
    void withTheFlagTheSameCallsSucceed() throws Exception {
        ChildJvm.Result child = ChildJvm.run(MissingVectorModuleProbe.class,
                List.of("--add-modules", "jdk.incubator.vector", "-Dpanode.blas.disable=true"), e -> true, ENTRY_POINTS);
        assertEquals(0, child.exitCode(), child.stderr());
        assertEquals(List.of("ok", "ok", "ok", "ok", "ok"), child.stdout().strip().lines().toList(), child.stderr());
    }

    @Test
    void thisJvmHasTheModule() {
        assertTrue(VectorApi.isPresent());
        VectorApi.require();
    }
}
