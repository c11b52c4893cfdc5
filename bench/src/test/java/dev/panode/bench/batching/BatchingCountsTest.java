package dev.panode.bench.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panode.adjoint.models.Mlp;
import dev.panode.blas.testing.TestData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The benchmark's cost comparison as counts (deterministic, no timing). */
class BatchingCountsTest {

    @Test
    void perSampleEvaluatesFewerRowsThanSharedAndCompactionFewerThanMasking() {
        for (String name : new String[]{"mlp", "vanderpol"}) {
            BatchingCounts c = BatchingCounts.of(HeterogeneousBatch.of(name));
            System.out.println(c.summary());
            long total = 0;
            for (long x : c.perSampleNfe()) total += x;
            assertEquals(total, c.compactedRows(), "compaction evaluates exactly the useful rows");
            assertEquals(c.fieldCalls() * c.rows(), c.maskedRows());
            assertTrue(c.compactedRows() < c.maskedRows(), c.summary());
            assertTrue(c.compactedRows() < c.sharedRows(), c.summary());
        }
    }

    /** The regenerated MLP is the reference file's d2_h50_b16_s3 (parameter checksums). */
    @Test
    void mlpIsTheReferenceModel() throws IOException {
        JsonNode ref = new ObjectMapper().readTree(TestData.reference("bench_d2_h50_b16_s3.json").toFile());
        double[] theta = ((Mlp) HeterogeneousBatch.mlp().field()).parameters();
        double sum = 0, sumSq = 0;
        for (double x : theta) {
            sum += x;
            sumSq += x * x;
        }
        JsonNode cs = ref.get("model").get("param_checksums");
        assertEquals(cs.get("count").asInt(), theta.length);
        assertEquals(cs.get("sum").asDouble(), sum, 1e-9);
        assertEquals(cs.get("sum_sq").asDouble(), sumSq, 1e-9);
    }
}
