package dev.panode.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The wire forms: compact, and the model rebuilt from them is the same model. */
class ModelSpecTest {

    @Test
    void modelTravelsByItsWeightsAndComesBackEqual() throws Exception {
        Mlp mlp = Mlp.initialised(MlpArchitecture.of(2, 50, 2, Activation.TANH).withTimeInput(true)
                .withInputTransform(InputTransform.CUBE), Initialisation.PYTORCH_DEFAULT, 4);
        byte[] bytes = serialise(ModelSpec.of(mlp));
        assertTrue(bytes.length < 8 * mlp.parameterCount() + 1024, "compact: " + bytes.length + " bytes");
        Mlp back = ((ModelSpec) deserialise(bytes)).model();
        assertEquals(mlp.architecture(), back.architecture());
        assertArrayEquals(mlp.parameters(), back.parameters(), 0.0);
    }

    @Test
    void solveSpecTravelsByNameAndRefusesTyposOnTheDriver() throws Exception {
        SolveSpec spec = SolveSpec.adaptive("tsit5", 1e-6, 1e-8).withGradient("adjoint-seminorm");
        SolveSpec back = (SolveSpec) deserialise(serialise(spec));
        assertEquals(spec, back);
        assertEquals("tsit5", back.rungeKutta().name());
        var e = assertThrows(IllegalArgumentException.class, () -> SolveSpec.adaptive("dopri5", 1e-6, 1e-8).withGradient("adjiont"));
        assertTrue(e.getMessage().contains("gradient must be one of"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SolveSpec.adaptive("dorpi5", 1e-6, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> SolveSpec.adaptive("rk4", 1e-6, 1e-8));
    }

    private static byte[] serialise(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Object deserialise(byte[] b) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            return in.readObject();
        }
    }
}
