package dev.panode.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.io.safetensors.Dtype;
import dev.panode.io.safetensors.SafetensorsFile;
import dev.panode.io.safetensors.SafetensorsWriter;
import dev.panode.io.safetensors.TensorInfo;
import dev.panode.adjoint.models.Activation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict state_dict mapping and the MLP's save/load through safetensors. */
class SequentialStateDictTest {
    private static final SequentialArchitecture SPIRAL = ArchitectureJson.parse(
            "{\"layers\": [{\"linear\": [2, 5]}, \"tanh\", {\"linear\": [5, 2]}], \"input_transform\": \"cube\"}");

    /** A state_dict file with the given tensors (name, shape) filled with 0.5, 1.5, 2.5, … */
    private static Path stateDict(Path dir, Object... nameShape) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        double next = 0.5;
        for (int i = 0; i < nameShape.length; i += 2) {
            long[] shape = (long[]) nameShape[i + 1];
            long n = 1;
            for (long d : shape) n *= d;
            double[] v = new double[(int) n];
            for (int k = 0; k < v.length; k++) v[k] = next++;
            w.add((String) nameShape[i], Dtype.F32, shape, v);
        }
        Path file = dir.resolve("sd.safetensors");
        w.write(file);
        return file;
    }

    private static void assertRejected(Path file, SequentialArchitecture arch, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MlpSafetensors.load(file, arch));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void tensorsGoToTheMlpLayoutRowMajor(@TempDir Path dir) throws Exception {
        Path file = stateDict(dir, "0.weight", new long[] {5, 2}, "0.bias", new long[] {5},
                "2.weight", new long[] {2, 5}, "2.bias", new long[] {2});
        Mlp mlp = MlpSafetensors.load(file, SPIRAL);
        double[] theta = mlp.parameters();
        for (int i = 0; i < theta.length; i++) assertEquals(i + 0.5, theta[i]);
        MlpArchitecture a = mlp.architecture();
        assertEquals(0.5 + 3, theta[a.weightOffset(0) + 1 * 2 + 1], "0.weight[1][1]");
        assertEquals(0.5 + 10 + 15 + 1, theta[a.biasOffset(1) + 1], "2.bias[1]");
    }

    @Test
    void missingExtraWrongShapedAndNonFiniteTensorsAreNamed(@TempDir Path dir) throws Exception {
        assertRejected(stateDict(dir, "0.weight", new long[] {5, 2}, "0.bias", new long[] {5}, "2.weight", new long[] {2, 5}),
                SPIRAL, "missing tensor \"2.bias\" of shape [2] (layers[2], linear [5, 2])");
        assertRejected(stateDict(dir, "0.weight", new long[] {5, 2}, "0.bias", new long[] {5}, "2.weight", new long[] {2, 5},
                "2.bias", new long[] {2}, "4.weight", new long[] {2, 2}, "extra", new long[] {1}), SPIRAL,
                "unexpected tensors \"4.weight\", \"extra\"", "whose tensors are 0.weight, 0.bias, 2.weight, 2.bias");
        assertRejected(stateDict(dir, "0.weight", new long[] {2, 5}, "0.bias", new long[] {5}, "2.weight", new long[] {2, 5},
                "2.bias", new long[] {2}), SPIRAL, "tensor \"0.weight\" has shape [2, 5], expected [5, 2]",
                "layers[0], linear [2, 5]");
        assertRejected(stateDict(dir, "net.0.weight", new long[] {5, 2}, "net.0.bias", new long[] {5},
                "net.2.weight", new long[] {2, 5}, "net.2.bias", new long[] {2}), SPIRAL, "unexpected tensors \"net.0.weight\"");
        Mlp ok = MlpSafetensors.load(stateDict(dir, "net.0.weight", new long[] {5, 2}, "net.0.bias", new long[] {5},
                "net.2.weight", new long[] {2, 5}, "net.2.bias", new long[] {2}), SPIRAL.withPrefix("net."));
        assertEquals(2, ok.dim());

        Path inf = dir.resolve("inf.safetensors");
        new SafetensorsWriter().add("0.weight", Dtype.F16, new long[] {5, 2}, new double[] {0, 0, 0, 70000, 0, 0, 0, 0, 0, 0})
                .add("0.bias", Dtype.F32, new long[] {5}, new double[5]).add("2.weight", Dtype.F32, new long[] {2, 5}, new double[10])
                .add("2.bias", Dtype.F32, new long[] {2}, new double[2]).write(inf);
        assertRejected(inf, SPIRAL, "tensor \"0.weight\" element 3 must be finite, got Infinity");
    }

    @Test
    void saveAndLoadKeepTheMlpWithItsArchitectureInTheMetadata(@TempDir Path dir) throws Exception {
        MlpArchitecture arch = new MlpArchitecture(3, List.of(7, 3), List.of(Activation.SOFTPLUS, Activation.IDENTITY), true,
                dev.panode.adjoint.models.InputTransform.CUBE);
        Mlp mlp = Mlp.initialised(arch, Initialisation.PYTORCH_DEFAULT, 19);
        Path out = dir.resolve("m.safetensors");
        MlpSafetensors.save(mlp, out, Dtype.F64);
        Mlp back = MlpSafetensors.load(out, null);
        assertEquals(arch, back.architecture());
        assertArrayEquals(mlp.parameters(), back.parameters());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), f.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(List.of(7L, 4L), f.tensor("0.weight").shape());
            assertEquals("pt", f.metadata().get("format"));
        }

        MlpSafetensors.save(mlp, out, Dtype.F32);
        double[] f32 = MlpSafetensors.load(out, null).parameters();
        for (int i = 0; i < f32.length; i++) assertEquals((double) (float) mlp.parameters()[i], f32[i]);

        SequentialArchitecture prefixed = SequentialArchitecture.of(arch).withPrefix("net.");
        MlpSafetensors.save(mlp, prefixed, out, Dtype.F64);
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertTrue(f.tensor("net.2.bias") != null);
        }
        assertArrayEquals(mlp.parameters(), MlpSafetensors.load(out, null).parameters());
        assertThrows(IllegalArgumentException.class, () -> MlpSafetensors.save(mlp, SPIRAL, out, Dtype.F64));
    }

    @Test
    void aFileWithoutArchitectureNeedsOne(@TempDir Path dir) throws Exception {
        Path file = stateDict(dir, "0.weight", new long[] {5, 2});
        assertRejected(file, null, "holds no architecture", "--arch");
    }

    @Test
    void theTorchFixturesExportUnderTheirOwnNames(@TempDir Path dir) throws Exception {
        SequentialArchitecture arch = ArchitectureJson.read(TorchFixtures.dir().resolve("spiral.arch.json"));
        Mlp mlp = MlpSafetensors.load(TorchFixtures.weights("spiral_f16"), arch);
        Path out = dir.resolve("spiral.safetensors");
        MlpSafetensors.save(mlp, arch, out, Dtype.F16);
        try (SafetensorsFile torch = SafetensorsFile.open(TorchFixtures.weights("spiral_f16"));
             SafetensorsFile ours = SafetensorsFile.open(out)) {
            assertEquals(torch.tensors().stream().map(t -> t.name() + t.shape() + t.dtype()).toList(),
                    ours.tensors().stream().map(t -> t.name() + t.shape() + t.dtype()).toList());
            for (TensorInfo t : torch.tensors()) assertArrayEquals(torch.read(t.name()), ours.read(t.name()), t.name());
        }
    }
}
