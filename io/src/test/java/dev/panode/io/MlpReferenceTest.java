package dev.panode.io;

import static dev.panode.adjoint.testing.FieldChecking.normwiseRelative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.adjoint.models.SplitMix64;
import dev.panode.adjoint.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MLP against the reference files: weights loaded or regenerated, and f(z0). */
class MlpReferenceTest {

    private static double[] evaluate(Mlp mlp, double[] z0) {
        int rows = z0.length / mlp.dim();
        double[] f = new double[z0.length];
        mlp.evaluate(0.0, z0, f, rows, mlp.newWorkspace(rows));
        return f;
    }

    @Test
    void fAtZ0MatchesMlpD2H16B4() throws IOException {
        JsonNode ref = ReferenceData.read("mlp_d2_h16_b4.json");
        Mlp mlp = MlpJson.read(ReferenceData.file("mlp_d2_h16_b4.json"));
        assertEquals(MlpArchitecture.mlp3Tanh(2, 16), mlp.architecture());
        double[] f = evaluate(mlp, ReferenceData.flat(ref.get("z0")));
        double[] expected = ReferenceData.flat(ref.get("f_at_t0_z0"));
        double err = normwiseRelative(f, expected, f.length);
        assertTrue(err <= 1e-14, "f(z0) relative error " + err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bench_d2_h50_b1.json", "bench_d2_h50_b16.json", "bench_d2_h50_b16_s3.json",
            "bench_d2_h64_b1024.json"})
    void fAtZ0MatchesBenchFiles(String name) throws IOException {
        JsonNode ref = ReferenceData.read(name);
        Mlp mlp = MlpJson.read(ReferenceData.file(name));
        checkBenchF(ref, mlp, ReferenceData.flat(ref.get("z0")));
    }

    /** d32_h256_b256 stores only seeds: weights and z0 are regenerated with the spelled-out SplitMix64 scheme. */
    @Test
    void fAtZ0MatchesRegeneratedD32H256B256() {
        JsonNode ref = ReferenceData.read("bench_d32_h256_b256.json");
        JsonNode gen = ref.get("model").get("generator");
        Mlp mlp = Mlp.initialised(MlpArchitecture.mlp3Tanh(32, 256), Initialisation.PYTORCH_DEFAULT,
                gen.get("weight_seed").asLong(), gen.get("scale").asDouble());
        checkParamChecksums(ref.get("model").get("param_checksums"), mlp.parameters());
        int batch = ref.get("model").get("batch").asInt();
        double range = gen.get("z0_range").asDouble();
        SplitMix64 rng = new SplitMix64(gen.get("z0_seed").asLong());
        double[] z0 = new double[batch * 32];
        for (int i = 0; i < z0.length; i++) z0[i] = rng.uniform(-range, range);
        JsonNode zc = ref.get("z0_checksums");
        double s = 0;
        double s2 = 0;
        for (double z : z0) {
            s += z;
            s2 += z * z;
        }
        assertEquals(zc.get("sum").asDouble(), s, 1e-12 * Math.abs(s2));
        assertEquals(zc.get("sum_sq").asDouble(), s2, 1e-12 * s2);
        checkBenchF(ref, mlp, z0);
    }

    private static void checkBenchF(JsonNode ref, Mlp mlp, double[] z0) {
        double[] f = evaluate(mlp, z0);
        double[] first = ReferenceData.flat(ref.get("f_at_t0_z0_first_rows"));
        double err = normwiseRelative(f, first, first.length);
        assertTrue(err <= 1e-14, "first rows of f(z0): relative error " + err);
        double s = 0;
        double s2 = 0;
        for (double x : f) {
            s += x;
            s2 += x * x;
        }
        JsonNode c = ref.get("f_at_t0_z0_checksums");
        assertEquals(c.get("sum").asDouble(), s, 1e-13 * s2 + 1e-13 * Math.abs(s), "sum of f(z0)");
        assertEquals(c.get("sum_sq").asDouble(), s2, 1e-13 * s2, "sum of squares of f(z0)");
    }

    private static void checkParamChecksums(JsonNode c, double[] theta) {
        assertEquals(c.get("count").asInt(), theta.length);
        double s = 0;
        double s2 = 0;
        for (double x : theta) {
            s += x;
            s2 += x * x;
        }
        assertEquals(c.get("sum").asDouble(), s, 1e-12 * s2);
        assertEquals(c.get("sum_sq").asDouble(), s2, 1e-12 * s2);
    }

    /** The initialiser with the files' seeds gives exactly the stored weights (PyTorch's Linear init scheme). */
    @ParameterizedTest
    @ValueSource(strings = {"mlp_d2_h16_b4.json", "bench_d2_h50_b1.json", "bench_d2_h50_b16.json",
            "bench_d2_h50_b16_s3.json", "bench_d2_h64_b1024.json"})
    void pytorchDefaultInitialisationReproducesReferenceWeights(String name) throws IOException {
        JsonNode model = ReferenceData.read(name).get("model");
        JsonNode gen = model.get("generator");
        Mlp loaded = MlpJson.read(ReferenceData.file(name));
        Mlp drawn = Mlp.initialised(loaded.architecture(), Initialisation.PYTORCH_DEFAULT,
                gen.get("weight_seed").asLong(), gen.get("scale").asDouble());
        assertArrayEquals(loaded.parameters(), drawn.parameters());
        checkParamChecksums(model.get("param_checksums"), loaded.parameters());
    }

    @Test
    void jsonRoundTripIsExact(@TempDir Path dir) throws IOException {
        Mlp mlp = Mlp.initialised(new MlpArchitecture(3, java.util.List.of(7, 5, 3),
                java.util.List.of(dev.panode.adjoint.models.Activation.SOFTPLUS, dev.panode.adjoint.models.Activation.SIN,
                        dev.panode.adjoint.models.Activation.IDENTITY), true, InputTransform.CUBE),
                Initialisation.XAVIER_NORMAL, 42);
        Path file = dir.resolve("model.json");
        MlpJson.write(mlp, file);
        Mlp back = MlpJson.read(file);
        assertEquals(mlp.architecture(), back.architecture());
        assertArrayEquals(mlp.parameters(), back.parameters());
        assertTrue(Files.readString(file).contains("\"format\" : \"panode-mlp\""));
    }

    @Test
    void jsonRejectsInconsistentShapes() {
        String json = """
                {"dim": 1, "layers": [{"W": [[1], [2]], "b": [0, 0]}, {"W": [[1, 2, 3]], "b": [0]}]}""";
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MlpJson.parse(json));
        assertTrue(e.getMessage().contains("layers[1].W must have 2 columns"), e.getMessage());
    }
}
