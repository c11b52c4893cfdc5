package dev.panode.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.cnf.CnfField;
import dev.panode.adjoint.models.cnf.TraceEstimator;
import dev.panode.adjoint.models.layers.Sequential;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CNF model file: write then read gives the same network, parameters (bit for bit) and settings. */
class CnfJsonTest {

    @Test
    void roundTripIsExact(@TempDir Path dir) throws Exception {
        Sequential net = Sequential.builder(2).concatSquash(5).softplus().concatSquash(4).tanh().dense(2).build();
        CnfField field = CnfField.initialised(net, Initialisation.PYTORCH_DEFAULT, 3,
                TraceEstimator.HUTCHINSON_RADEMACHER, 8);
        Path file = dir.resolve("cnf.json");
        CnfJson.write(CnfJson.toJson(field, 0.75, 0.1), file);
        CnfJson.Flow back = CnfJson.read(file);
        assertEquals(net, back.field().network());
        assertArrayEquals(field.parameters(), back.field().parameters(), 0.0);
        assertEquals(TraceEstimator.HUTCHINSON_RADEMACHER, back.field().estimator());
        assertEquals(0.75, back.timeLength());
        assertEquals(0.1, back.baseVariance());
    }

    @Test
    void badFilesNameTheField() throws Exception {
        ObjectMapper m = new ObjectMapper();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CnfJson.fromJson(m.readTree("{\"format\": \"panode-mlp\"}")));
        assertTrue(e.getMessage().contains("format"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CnfJson.fromJson(m.readTree(
                "{\"format\": \"panode-cnf\", \"dim\": 2, \"layers\": [{\"type\": \"concatsquash\", \"W\": [[1, 2]],"
                        + " \"b\": [0], \"h\": [0], \"g\": [0]}]}")));
        assertTrue(e.getMessage().contains("layers[0].c"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CnfJson.fromJson(m.readTree(
                "{\"format\": \"panode-cnf\", \"dim\": 2, \"layers\": [{\"type\": \"activation\", \"activation\": \"x\"}]}")));
        assertTrue(e.getMessage().contains("layers[0].activation"), e.getMessage());
    }
}
