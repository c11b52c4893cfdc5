package dev.panode.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panode.io.MlpJson;
import java.lang.invoke.MethodHandles;

/**
 * The JSON writing of a command's result file, warmed up on a thread of its own while the command does its main work:
 * the first use of Jackson in a JVM initialises its mappers ({@link MlpJson}'s and {@link ProblemFile#MAPPER}), their
 * serialisers and date formats, about 30 ms of CPU in interpreted code. {@code panode demo} starts it when training
 * starts, so that writing {@code model.json} after the last iteration finds it done (docs/BENCHMARKS.md §86: the time
 * after training falls from about 80–150 to 10–35 ms of wall time).
 *
 * <p>Cost: one short-lived daemon thread and that CPU time, once per JVM in effect (a second start finds the classes
 * initialised and costs well under a millisecond). The warm-up writes a small tree through {@link #indented} and
 * discards the text; it has no other effect. Not for a command that writes no JSON, nor where a second core is not
 * free (its work then competes with the command's own).
 */
final class JsonWarmUp {
    private JsonWarmUp() {}

    /** Starts the warm-up; the thread is returned for tests to join. */
    static Thread start() {
        Thread thread = new Thread(JsonWarmUp::run, "panode-json-warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** {@code tree} as indented JSON text, as a command's result file holds it. */
    static String indented(ObjectNode tree) throws JsonProcessingException {
        return ProblemFile.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree);
    }

    private static void run() {
        try {
            MethodHandles.lookup().ensureInitialized(MlpJson.class);
            ObjectNode tree = ProblemFile.MAPPER.createObjectNode();
            tree.put("name", "warm-up");
            tree.put("count", 1);
            tree.put("seed", 0L);
            tree.put("flag", true);
            tree.put("value", 0.5);
            tree.putArray("rows").addArray().add(0.25).add(0.5f);
            tree.putObject("inner").put("value", 1.5);
            indented(tree);
        } catch (IllegalAccessException | JsonProcessingException e) {
            // nothing to warm: the result file's own writing reports any failure of its own
        }
    }
}
