package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonWarmUpTest {
    @Test
    void theWarmUpEndsOnItsOwnAndAgain() throws Exception {
        for (int i = 0; i < 2; i++) {
            Thread t = JsonWarmUp.start();
            t.join(60_000);
            assertFalse(t.isAlive());
        }
    }

    /** The result file's text is the indented writer's of the shared mapper, as before the warm-up existed. */
    @Test
    void indentedIsTheSharedMappersIndentedText() throws Exception {
        ObjectNode tree = ProblemFile.MAPPER.createObjectNode();
        tree.put("a", 0.1);
        tree.putArray("b").add(1.0f).add(-2.5e-300);
        tree.putObject("c").put("d", "é\n");
        assertEquals(ProblemFile.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree),
                JsonWarmUp.indented(tree));
        assertEquals("{\n  \"a\" : 0.1,\n  \"b\" : [ 1.0, -2.5E-300 ],\n  \"c\" : {\n    \"d\" : \"é\\n\"\n  }\n}",
                JsonWarmUp.indented(tree));
    }
}
