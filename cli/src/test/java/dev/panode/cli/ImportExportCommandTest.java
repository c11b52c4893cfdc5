package dev.panode.cli;

import static dev.panode.cli.CliBadInputTest.assertOneLineFailure;
import static dev.panode.cli.CliBadInputTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.io.MlpJson;
import dev.panode.io.safetensors.Dtype;
import dev.panode.io.safetensors.SafetensorsWriter;
import dev.panode.adjoint.models.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code panode import} and {@code panode export}: round trips, and bad input as one line without a stack trace. */
class ImportExportCommandTest {
    private static Mlp spiral() {
        MlpArchitecture arch = MlpArchitecture.of(2, 16, 1, Activation.TANH).withInputTransform(InputTransform.CUBE);
        return Mlp.initialised(arch, Initialisation.PYTORCH_DEFAULT, 7);
    }

    @Test
    void exportThenImportGivesTheModelBack(@TempDir Path dir) throws Exception {
        Mlp mlp = spiral();
        Path model = dir.resolve("model.json");
        MlpJson.write(mlp, model);
        Path st = dir.resolve("model.safetensors");
        Path archOut = dir.resolve("arch.json");
        var export = run("export", "--model", model.toString(), "--out", st.toString(), "--arch-out", archOut.toString());
        assertEquals(0, export.exit(), export.err());
        assertTrue(export.out().contains("MLP 2->16->2 (tanh, identity), input cube, 82 parameters"), export.out());
        assertTrue(Files.readString(archOut).contains("\"input_transform\" : \"cube\""), Files.readString(archOut));

        Path back = dir.resolve("back.json");
        var imported = run("import", "--weights", st.toString(), "--out", back.toString());
        assertEquals(0, imported.exit(), imported.err());
        assertArrayEquals(mlp.parameters(), MlpJson.read(back).parameters());
        assertEquals(mlp.architecture(), MlpJson.read(back).architecture());

        var withArch = run("import", "--weights", st.toString(), "--arch", archOut.toString(), "--out", back.toString());
        assertEquals(0, withArch.exit(), withArch.err());

        var bf16 = run("export", "--model", model.toString(), "--out", st.toString(), "--dtype", "bf16");
        assertEquals(0, bf16.exit(), bf16.err());
        assertEquals(0, run("import", "--weights", st.toString(), "--out", back.toString()).exit());
        double[] rounded = MlpJson.read(back).parameters();
        for (int i = 0; i < rounded.length; i++) {
            assertEquals(mlp.parameters()[i], rounded[i], Math.abs(mlp.parameters()[i]) / 256, "bf16 keeps 8 bits");
            assertEquals(0, Double.doubleToLongBits((float) rounded[i]) & 0xffff, "a bfloat16 value");
        }
    }

    @Test
    void aTorchStyleStateDictImportsWithItsArchitecture(@TempDir Path dir) throws Exception {
        Mlp mlp = spiral();
        double[] p = mlp.parameters();
        Path st = dir.resolve("odefunc.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .add("net.0.weight", Dtype.F32, new long[] {16, 2}, Arrays.copyOfRange(p, 0, 32))
                .add("net.0.bias", Dtype.F32, new long[] {16}, Arrays.copyOfRange(p, 32, 48))
                .add("net.2.weight", Dtype.F32, new long[] {2, 16}, Arrays.copyOfRange(p, 48, 80))
                .add("net.2.bias", Dtype.F32, new long[] {2}, Arrays.copyOfRange(p, 80, 82))
                .write(st);
        Path arch = Files.writeString(dir.resolve("arch.json"), "{\"layers\": [{\"linear\": [2, 16]}, \"tanh\","
                + " {\"linear\": [16, 2]}], \"input_transform\": \"cube\", \"prefix\": \"net.\"}");
        Path out = dir.resolve("model.json");
        var r = run("import", "--weights", st.toString(), "--arch", arch.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        double[] read = MlpJson.read(out).parameters();
        for (int i = 0; i < p.length; i++) assertEquals((double) (float) p[i], read[i]);

        Path noPrefix = Files.writeString(dir.resolve("plain.json"),
                "{\"layers\": [{\"linear\": [2, 16]}, \"tanh\", {\"linear\": [16, 2]}], \"input_transform\": \"cube\"}");
        assertOneLineFailure(run("import", "--weights", st.toString(), "--arch", noPrefix.toString(), "--out", out.toString()),
                2, "odefunc.safetensors: unexpected tensors \"net.0.weight\"");
        assertOneLineFailure(run("import", "--weights", st.toString(), "--out", out.toString()), 2, "holds no architecture",
                "--arch");
    }

    @Test
    void badFilesAndOptionsGiveOneLine(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model.json");
        MlpJson.write(spiral(), model);
        Path st = dir.resolve("m.safetensors");
        assertEquals(0, run("export", "--model", model.toString(), "--out", st.toString()).exit());
        byte[] bytes = Files.readAllBytes(st);
        Path truncated = Files.write(dir.resolve("truncated.safetensors"), Arrays.copyOf(bytes, bytes.length - 5));
        Path out = dir.resolve("out.json");
        assertOneLineFailure(run("import", "--weights", truncated.toString(), "--out", out.toString()), 1, "panode import",
                "truncated.safetensors", "tensor \"2.bias\"", "beyond the data section");
        assertOneLineFailure(run("import", "--weights", dir.resolve("none.safetensors").toString(), "--out", out.toString()), 1,
                "none.safetensors: no such file");
        assertOneLineFailure(run("import", "--weights", st.toString(), "--arch", dir.resolve("none.json").toString(),
                "--out", out.toString()), 1, "none.json: no such file");
        Path wrongArch = Files.writeString(dir.resolve("arch.json"),
                "{\"layers\": [{\"linear\": [2, 8]}, \"tanh\", {\"linear\": [8, 2]}], \"input_transform\": \"cube\"}");
        assertOneLineFailure(run("import", "--weights", st.toString(), "--arch", wrongArch.toString(), "--out", out.toString()), 2,
                "tensor \"0.weight\" has shape [16, 2], expected [8, 2]");
        assertOneLineFailure(run("export", "--model", model.toString(), "--out", st.toString(), "--dtype", "f8"), 2,
                "dtype must be one of F64, F32, BF16, F16, got \"f8\"");
        assertOneLineFailure(run("export", "--model", model.toString(), "--out", st.toString(), "--arch", wrongArch.toString()), 2,
                "arch must describe the MLP");
        Path notJson = Files.writeString(dir.resolve("notjson.json"), "{\"layers\": [{\"linear\": [2, 16]},");
        assertOneLineFailure(run("import", "--weights", st.toString(), "--arch", notJson.toString(), "--out", out.toString()), 1,
                "notjson.json is not valid JSON", "line 1");
        Path badModel = Files.writeString(dir.resolve("bad.json"), "{\"layers\": [");
        assertOneLineFailure(run("export", "--model", badModel.toString(), "--out", st.toString()), 1, "model file", "not valid JSON");
    }
}
