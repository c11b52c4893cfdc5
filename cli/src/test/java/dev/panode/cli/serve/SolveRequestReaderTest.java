package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.blas.testing.Allocations;
import dev.panode.cli.ProblemFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming solve-request reader takes exactly the well-formed common requests, reads every number to the same
 * double as the general path (Jackson's tree), refuses everything else (so the general path answers it), stays
 * bounded on huge and deeply nested input, and allocates nothing once warm.
 */
class SolveRequestReaderTest {
    private final SolveRequestReader reader = new SolveRequestReader();

    private boolean read(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return reader.read(b, b.length, 4096, 100);
    }

    private static String withNumber(String token) {
        return "{\"model\":\"m\",\"z0\":[[" + token + ",1]],\"t\":[0,1]}";
    }

    /** Jackson's value for a number token, as the general path reads it; null when that path refuses it. */
    private static Double general(String token) throws Exception {
        JsonNode n = ProblemFile.MAPPER.readTree(withNumber(token)).get("z0").get(0).get(0);
        return n.isNumber() && Double.isFinite(n.asDouble()) ? n.asDouble() : null;
    }

    private void assertSameNumber(String token) throws Exception {
        Double want = general(token);
        boolean taken = read(withNumber(token));
        if (!taken) {
            // refused only where the general path refuses, or for an integer beyond a long
            String digits = token.replace("-", "");
            assertTrue(want == null || digits.chars().allMatch(Character::isDigit) && digits.length() > 18,
                    token + " refused though the general path reads it as " + want);
            return;
        }
        assertTrue(want != null, token + " taken though the general path refuses it");
        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(reader.z0()[0]),
                token + ": " + want + " against " + reader.z0()[0]);
    }

    @Test
    void numbersReadAsTheGeneralPathReadsThemBitForBit() throws Exception {
        String[] edges = {"0", "-0", "0.0", "-0.0", "1", "-1", "1.0E-6", "1e-8", "1E+22", "1e22", "1e23", "9007199254740993",
                "9007199254740993.0", "900719925474099.3e1", "0.1", "0.3", "123456789012345678", "1234567890123456789",
                "-1234567890123456789012", "4.9e-324", "2.4703282292062327e-324", "2.2250738585072011e-308",
                "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e400", "1e-400", "0.000001234",
                "1.00000000000000000000000000001", "123.456e-2", "5e-1", "17976931348623157e292",
                "0." + "1".repeat(SolveRequestReader.MAX_NUMBER_LENGTH - 2), "-" + "9".repeat(400) + ".5",
                "1" + "0".repeat(400) + "e-400"};
        for (String e : edges) assertSameNumber(e);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double d = switch (i % 3) {
                case 0 -> Double.longBitsToDouble(rnd.nextLong());
                case 1 -> rnd.nextDouble(-2, 2);
                default -> rnd.nextInt(-1000, 1000) / 64.0;
            };
            if (Double.isFinite(d)) assertSameNumber(Double.toString(d));
        }
        for (int i = 0; i < 5_000; i++) {
            // exactly halfway between two doubles, and one unit either side: ties to even (integers of 17 to 19
            // digits written with an exponent, so that they are read as floating-point tokens)
            double d = Math.scalb(1.0 + rnd.nextInt(1 << 20) / (double) (1 << 20), rnd.nextInt(53, 63));
            java.math.BigInteger half = new java.math.BigDecimal(d).add(new java.math.BigDecimal(Math.nextUp(d)))
                    .divide(java.math.BigDecimal.valueOf(2)).toBigIntegerExact();
            for (int delta = -1; delta <= 1; delta++) assertSameNumber(half.add(java.math.BigInteger.valueOf(delta)) + "e0");
        }
        for (int i = 0; i < 20_000; i++) {
            // random decimal tokens: 1 to 25 digits, a point somewhere, an exponent or not
            StringBuilder sb = new StringBuilder();
            if (rnd.nextBoolean()) sb.append('-');
            int digits = rnd.nextInt(1, 26);
            sb.append(rnd.nextInt(1, 10));
            for (int k = 1; k < digits; k++) sb.append(rnd.nextInt(10));
            if (rnd.nextBoolean() && digits > 1) sb.insert(sb.length() - rnd.nextInt(1, digits), '.');
            if (rnd.nextBoolean()) sb.append(rnd.nextBoolean() ? 'e' : 'E').append(rnd.nextInt(-330, 310));
            assertSameNumber(sb.toString());
        }
    }

    @Test
    void malformedJsonIsRefused() throws Exception {
        String[] malformed = {"", " ", "{", "}", "{\"model\":\"m\"", "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1]",
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],}", "{\"model\":\"m\",\"z0\":[[1,2],],\"t\":[0,1]}",
                "{'model':\"m\",\"z0\":[[1,2]],\"t\":[0,1]}", "{\"model\":m,\"z0\":[[1,2]],\"t\":[0,1]}",
                "{\"model\":\"m\" \"z0\":[[1,2]],\"t\":[0,1]}", "{\"model\":\"m\",\"z0\":[[1 2]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[01,2]],\"t\":[0,1]}", "{\"model\":\"m\",\"z0\":[[+1,2]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[.5,2]],\"t\":[0,1]}", "{\"model\":\"m\",\"z0\":[[1.,2]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[1e,2]],\"t\":[0,1]}", "{\"model\":\"m\",\"z0\":[[-,2]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[NaN,2]],\"t\":[0,1]}", "{\"model\":\"m\",\"z0\":[[Infinity,2]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[0x10,2]],\"t\":[0,1]}", "{\"model\":\"m\u0001\",\"z0\":[[1,2]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1]]", "[1, 2]"};
        for (String m : malformed) {
            assertFalse(read(m), m);
            String body = m;
            assertThrows(Exception.class, () -> {
                JsonNode n = ProblemFile.MAPPER.readTree(body);
                if (n == null || n.isMissingNode() || !n.isObject()) throw new IllegalArgumentException("not an object");
            }, "the general path refuses it too: " + m);
        }
    }

    @Test
    void wellFormedRequestsOfAnotherShapeGoTheGeneralWay() {
        String[] other = {"{}", "{\"model\":\"m\",\"z0\":[[1,2]]}", "{\"z0\":[[1,2]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],\"rtoll\":1}",
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],\"method\":null}",
                "{\"model\":\"m\",\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1]}",
                "{\"model\":\"m\\u0041\",\"z0\":[[1,2]],\"t\":[0,1]}", "{\"model\":\"mé\",\"z0\":[[1,2]],\"t\":[0,1]}",
                "{\"model\":{\"layers\":[]},\"z0\":[[1,2]],\"t\":[0,1]}", "{\"model\":\"m\",\"z0\":[],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[]],\"t\":[0,1]}", "{\"model\":\"m\",\"z0\":[[1,2],[3]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[1,2],\"t\":[0,1]}", "{\"model\":\"m\",\"z0\":[[1,\"x\"]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[]}", "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],\"steps\":2.5}",
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],\"steps\":0}", "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],\"max_steps\":-3}",
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],\"steps\":1e3}", "{\"model\":\"m\",\"z0\":[[1,1e999]],\"t\":[0,1]}",
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],\"rtol\":\"1e-6\"}", "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],\"method\":5}",
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1],\"steps\":12345678901234567890}",
                // trailing content: Jackson's tree reader stops after the first value and ignores it; this reader
                // leaves such bodies to it
                "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1]}x", "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1]}{}"};
        for (String o : other) assertFalse(read(o), o);
    }

    @Test
    void aCommonRequestIsReadWithEveryField() {
        assertTrue(read(" {\n\t\"t\" : [ 0 , 0.5 ,1.0E0 ] ,\"z0\":[[1.5, -2], [3,4e-1]], \"model\":\"d2_h50\",\"method\":\"rk4\","
                + "\"steps\":20,\"rtol\":1e-7,\"atol\":2E-9,\"max_steps\":500}\r\n"));
        assertEquals(2, reader.rows());
        assertEquals(2, reader.rowLength());
        assertEquals(List.of(1.5, -2.0, 3.0, 0.4), List.of(reader.z0()[0], reader.z0()[1], reader.z0()[2], reader.z0()[3]));
        assertEquals(3, reader.times());
        assertEquals(List.of(0.0, 0.5, 1.0), List.of(reader.t()[0], reader.t()[1], reader.t()[2]));
        byte[] body = " {\"model\":\"d2_h50\",\"method\":\"rk4\",\"z0\":[[1,2]],\"t\":[0,1]}".getBytes(StandardCharsets.UTF_8);
        assertTrue(reader.read(body, body.length, 10, 10));
        assertEquals("d2_h50", reader.model(body));
        assertEquals("rk4", reader.method(body));
        assertTrue(read("{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1]}"));
        assertEquals(0, reader.steps());
        assertEquals(0, reader.maxSteps());
        assertEquals(1e-6, reader.rtol(1e-6));
        assertEquals(1e-8, reader.atol(1e-8));
    }

    @Test
    void hugeAndDeeplyNestedInputIsRefusedWithinItsLimits() {
        // nesting far beyond the request's depth of 3: refused at the first surplus bracket, no recursion
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        assertFalse(read(deep));
        assertFalse(read("{\"model\":\"m\",\"z0\":[[" + "[".repeat(100_000) + "1" + "]".repeat(100_002) + ",\"t\":[0,1]}"));
        // more numbers than the limits: refused, and the arrays do not grow past them
        StringBuilder z0 = new StringBuilder("{\"model\":\"m\",\"z0\":[");
        for (int r = 0; r < 3000; r++) z0.append(r > 0 ? "," : "").append("[1,2]");
        z0.append("],\"t\":[0,1]}");
        byte[] b = z0.toString().getBytes(StandardCharsets.US_ASCII);
        assertFalse(reader.read(b, b.length, 5000, 100), "6000 numbers in z0 against a limit of 5000");
        assertTrue(reader.z0().length <= 5000, "z0 grew to " + reader.z0().length);
        assertTrue(reader.read(b, b.length, 6000, 100));
        List<String> times = new ArrayList<>();
        for (int k = 0; k < 101; k++) times.add(Integer.toString(k));
        assertFalse(read("{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[" + String.join(",", times) + "]}"), "101 save times");
        assertTrue(read("{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[" + String.join(",", times.subList(0, 100)) + "]}"));
        // a number token longer than this reader takes goes the general way (Jackson refuses this one)
        assertFalse(read(withNumber("0." + "1".repeat(SolveRequestReader.MAX_NUMBER_LENGTH))));
        assertThrows(Exception.class, () -> ProblemFile.MAPPER.readTree(withNumber("0." + "1".repeat(5000))));
        assertFalse(read(withNumber("0." + "1".repeat(5000))));
        // only the given length is read
        byte[] padded = "{\"model\":\"m\",\"z0\":[[1,2]],\"t\":[0,1]}garbage".getBytes(StandardCharsets.US_ASCII);
        assertTrue(reader.read(padded, padded.length - 7, 10, 10));
    }

    @Test
    void aWarmReaderAllocatesNothing() {
        StringBuilder sb = new StringBuilder("{\"model\":\"d2_h50\",\"z0\":[");
        SplittableRandom rnd = new SplittableRandom(1);
        for (int r = 0; r < 16; r++) {
            // full-precision doubles (Eisel–Lemire) and short ones (Clinger's fast path)
            sb.append(r > 0 ? "," : "").append('[').append(rnd.nextDouble(-2, 2)).append(',')
                    .append(rnd.nextInt(-100, 100) / 8.0).append(']');
        }
        sb.append("],\"t\":[0.0,1.0],\"method\":\"dopri5\",\"rtol\":1.0E-6,\"atol\":1.0E-8}");
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        assertTrue(reader.read(body, body.length, 4096, 100));
        Allocations.assertNoAllocation("reading a solve request", () -> {
            if (!reader.read(body, body.length, 4096, 100) || reader.model(body).isEmpty()) {
                throw new AssertionError("not read");
            }
        });
    }
}
