package dev.panode.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files say their dtype; files without one read as float64; float32 files hold float values. */
class MlpJsonDtypeTest {
    private static final Mlp MLP = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 7), Initialisation.PYTORCH_DEFAULT, 9);

    @Test
    void float64FilesSayFloat64AndRoundTripBitForBit(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.json");
        MlpJson.write(MLP, f);
        JsonNode json = new ObjectMapper().readTree(f.toFile());
        assertEquals("float64", json.get("dtype").asText());
        assertEquals(Precision.FLOAT64, MlpJson.dtype(json));
        assertArrayEquals(MLP.parameters(), MlpJson.read(f).parameters());
    }

    @Test
    void float32FilesHoldFloatsAndReadAsTheFloatModel(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m32.json");
        MlpJson.write(MLP, f, Precision.FLOAT32);
        String text = Files.readString(f);
        JsonNode json = new ObjectMapper().readTree(text);
        assertEquals(Precision.FLOAT32, MlpJson.dtype(json));
        double[] p = MLP.parameters();
        double[] read = MlpJson.read(f).parameters();
        for (int i = 0; i < p.length; i++) assertEquals((double) (float) p[i], read[i], "parameter " + i);
        // the values are written as the float's shortest decimal (at most 9 significant digits), not the double's
        double w00 = json.get("layers").get(0).get("W").get(0).get(0).doubleValue();
        assertEquals((float) p[0], (float) w00);
        String digits = Double.toString(Math.abs(w00)).replaceAll("E.*", "").replace(".", "").replaceAll("^0+", "");
        assertEquals(true, digits.length() <= 9, "digits of " + w00);
    }

    @Test
    void filesWithoutDtypeAreFloat64AndBadDtypesAreNamed() {
        String old = "{\"layers\": [{\"W\": [[0.5, -1.0], [1.0, 0.2]], \"b\": [0.1, 0.0]}]}";
        assertEquals(Precision.FLOAT64, MlpJson.dtype(MlpJson.toJson(MlpJson.parse(old)).without("dtype")));
        assertArrayEquals(new double[] {0.5, -1.0, 1.0, 0.2, 0.1, 0.0}, MlpJson.parse(old).parameters());
        String bad = "{\"dtype\": \"float16\", \"layers\": [{\"W\": [[0.5]], \"b\": [0.1]}]}";
        String m = assertThrows(IllegalArgumentException.class, () -> MlpJson.parse(bad)).getMessage();
        assertEquals("model.dtype must be float32 or float64, got float16", m);
        assertEquals("--dtype must be float32 or float64, got x",
                assertThrows(IllegalArgumentException.class, () -> Precision.parse("--dtype", "x")).getMessage());
        assertEquals(Precision.FLOAT32, Precision.parse("--dtype", "Float32"));
    }
}
