package dev.panode.cli.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.io.MlpJson;
import dev.panode.cli.ProblemFile;
import java.time.Duration;

/** Models, requests and server settings shared by the serve tests. */
final class ServeFixtures {
    private ServeFixtures() {}

    /** A 2 → 16 → 16 → 2 tanh MLP. */
    static final Mlp MODEL = Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 16), Initialisation.PYTORCH_DEFAULT, 11);

    /** Loopback, a free port, two workers, a short read timeout so that the timeout tests are quick. */
    static ServeConfig config() {
        return ServeConfig.defaults().withAddress("127.0.0.1", 0).withWorkers(2, 32)
                .withConnections(64, Duration.ofMillis(1500));
    }

    /** {@code {"name": name, "model": MODEL}}. */
    static String loadRequest(String name) {
        ObjectNode o = ProblemFile.MAPPER.createObjectNode();
        o.put("name", name);
        o.set("model", MlpJson.toJson(MODEL));
        return o.toString();
    }

    /** A solve of {@code rows} samples of the model called {@code name} over t = 0, 0.5, 1. */
    static ObjectNode solveRequest(String name, int rows) {
        ObjectNode o = ProblemFile.MAPPER.createObjectNode();
        o.put("model", name);
        ArrayNode z0 = o.putArray("z0");
        for (int r = 0; r < rows; r++) z0.addArray().add(0.1 * r - 0.4).add(0.3 - 0.05 * r);
        o.putArray("t").add(0.0).add(0.5).add(1.0);
        return o;
    }

    static double[] z0(int rows) {
        double[] z = new double[2 * rows];
        for (int r = 0; r < rows; r++) {
            z[2 * r] = 0.1 * r - 0.4;
            z[2 * r + 1] = 0.3 - 0.05 * r;
        }
        return z;
    }
}
