package dev.panode.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.io.SequentialArchitecture.Elementwise;
import dev.panode.io.SequentialArchitecture.Linear;
import dev.panode.io.SequentialArchitecture.ParameterTensor;
import dev.panode.adjoint.models.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The architecture JSON, its tensor names and offsets, and its mapping onto an MLP. */
class ArchitectureJsonTest {

    private static void assertRejected(String json, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArchitectureJson.parse(json).toMlpArchitecture());
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void theSpiralArchitecture() {
        SequentialArchitecture a = ArchitectureJson.parse(
                "{\"layers\": [{\"linear\": [2, 50]}, \"tanh\", {\"linear\": [50, 2]}], \"input_transform\": \"cube\"}");
        assertEquals(List.of(new Linear(2, 50), new Elementwise(Activation.TANH), new Linear(50, 2)), a.layers());
        assertEquals(List.of(new ParameterTensor("0.weight", List.of(50, 2), 0, 0),
                new ParameterTensor("0.bias", List.of(50), 100, 0),
                new ParameterTensor("2.weight", List.of(2, 50), 150, 2),
                new ParameterTensor("2.bias", List.of(2), 250, 2)), a.parameterTensors());
        MlpArchitecture mlp = a.toMlpArchitecture();
        assertEquals(new MlpArchitecture(2, List.of(50, 2), List.of(Activation.TANH, Activation.IDENTITY), false,
                InputTransform.CUBE), mlp);
        // the offsets are the MLP's own layout
        assertEquals(mlp.weightOffset(1), a.parameterTensors().get(2).offset());
        assertEquals(mlp.biasOffset(1), a.parameterTensors().get(3).offset());
        assertEquals(mlp.parameterCount(), a.parameterCount());
    }

    @Test
    void jsonRoundTripsAndTheCanonicalSequentialOfAnMlp() {
        MlpArchitecture mlp = new MlpArchitecture(3, List.of(8, 8, 3),
                List.of(Activation.SOFTPLUS, Activation.SIN, Activation.IDENTITY), true, InputTransform.NONE);
        SequentialArchitecture a = SequentialArchitecture.of(mlp);
        assertEquals(List.of(new Linear(4, 8), new Elementwise(Activation.SOFTPLUS), new Linear(8, 8),
                new Elementwise(Activation.SIN), new Linear(8, 3)), a.layers());
        assertEquals(mlp, a.toMlpArchitecture());
        assertEquals(a, ArchitectureJson.parse(ArchitectureJson.toJsonString(a)));
        SequentialArchitecture prefixed = a.withPrefix("net.");
        assertEquals(prefixed, ArchitectureJson.parse(ArchitectureJson.toJsonString(prefixed)));
        assertEquals("net.4.bias", prefixed.parameterTensors().getLast().name());
    }

    @Test
    void identityModulesAndAnActivationAfterTheLastLayerMapOntoTheMlp() {
        SequentialArchitecture a = ArchitectureJson.parse("{\"layers\": [{\"linear\": [2, 4]}, \"identity\", \"relu\","
                + " {\"linear\": [4, 2]}, \"sigmoid\"], \"prefix\": \"f.net.\"}");
        assertEquals(List.of(Activation.RELU, Activation.SIGMOID), a.toMlpArchitecture().activations());
        assertEquals("f.net.3.weight", a.parameterTensors().get(2).name());
    }

    @Test
    void badArchitecturesNameTheFieldOrLayer() {
        assertRejected("{\"layers\": [", "not valid JSON", "line 1");
        assertRejected("[]", "must be a JSON object");
        assertRejected("{\"layers\": []}", "layers must be a non-empty array");
        assertRejected("{\"layer\": [{\"linear\": [2, 2]}]}", "unknown field \"layer\"");
        assertRejected("{\"layers\": [{\"linear\": [2, 2]}, \"gelu\"]}", "layers[1] must be tanh", "\"gelu\"");
        assertRejected("{\"layers\": [{\"linear\": [2, 0]}]}", "layers[0] must be", "[2,0]");
        assertRejected("{\"layers\": [{\"linear\": [2, 2], \"bias\": false}]}", "layers[0] must be");
        assertRejected("{\"layers\": [{\"linear\": [2, 5]}, \"tanh\", {\"linear\": [4, 2]}]}",
                "layers[2]: linear input width 4 must equal the previous linear layer's output width 5");
        assertRejected("{\"layers\": [\"tanh\"]}", "at least one linear layer");
        assertRejected("{\"layers\": [\"tanh\", {\"linear\": [2, 2]}]}", "layers[0] must be a linear layer for an MLP, got tanh");
        assertRejected("{\"layers\": [{\"linear\": [2, 3]}, \"tanh\", \"relu\", {\"linear\": [3, 2]}]}",
                "layers[2]: a second activation (relu after tanh)");
        assertRejected("{\"layers\": [{\"linear\": [3, 4]}, {\"linear\": [4, 2]}]}",
                "layers[0]: linear input width 3 must be the state dimension 2");
        assertRejected("{\"layers\": [{\"linear\": [2, 2]}], \"time_input\": true}", "plus 1 for the time column, i.e. 3");
        assertRejected("{\"layers\": [{\"linear\": [2, 2]}], \"time_input\": \"yes\"}", "time_input must be true or false");
        assertRejected("{\"layers\": [{\"linear\": [2, 2]}], \"input_transform\": \"square\"}", "input_transform must be none or cube");
        assertRejected("{\"layers\": [{\"linear\": [2, 2]}], \"prefix\": 3}", "prefix must be a string");
        assertRejected("{\"layers\": [{\"linear\": [2, 2]}], \"format\": \"other\"}", "format must be");
        assertRejected("{\"layers\": [{\"linear\": [2, 2]}], \"version\": 2}", "version must be 1");
        assertRejected("{\"layers\": [{\"linear\": [2, 2]}], \"prefix\": \"a\", \"prefix\": \"b\"}", "Duplicate field 'prefix'");
    }
}
