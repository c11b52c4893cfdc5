package dev.panode.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad file gives one {@link SafetensorsFormatException} with a one-line message that names the file
 * and, where there is one, the tensor; random truncations and corruptions of a valid file give either a valid file or
 * that exception, never another exception and never a read outside the file.
 */
class SafetensorsBadFileTest {
    private static final String GOOD_HEADER = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[24,30]}}";

    /** A file: the header length, the header, then {@code dataBytes} bytes 1, 2, 3, … */
    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < dataBytes; i++) b.put((byte) (i + 1));
        return b.array();
    }

    private static SafetensorsHeader parse(byte[] bytes) throws SafetensorsFormatException {
        return SafetensorsHeader.parse(MemorySegment.ofArray(bytes), "bad.safetensors");
    }

    /** Asserts the bytes are rejected with one line that starts with the file name and contains every part. */
    private static void assertRejected(byte[] bytes, String... parts) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> parse(bytes));
        String m = e.getMessage();
        assertTrue(m.startsWith("bad.safetensors: "), m);
        assertFalse(m.contains("\n"), "one line: " + m);
        for (String p : parts) assertTrue(m.contains(p), () -> "'" + m + "' lacks '" + p + "'");
    }

    private static String header(String w, String b) {
        return "{\"w\":" + w + ",\"b\":" + b + "}";
    }

    private static final String W = "{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}";
    private static final String B = "{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[24,30]}";

    @Test
    void theGoodFileIsGood() throws Exception {
        SafetensorsHeader h = parse(file(GOOD_HEADER, 30));
        assertEquals(2, h.tensors().size());
        assertEquals("pt", h.metadata().get("format"));
        assertEquals(30, h.dataLength());
    }

    @Test
    void truncatedFiles() {
        assertRejected(new byte[0], "truncated file: 0 bytes");
        assertRejected(new byte[5], "truncated file: 5 bytes");
        byte[] good = file(GOOD_HEADER, 30);
        assertRejected(java.util.Arrays.copyOf(good, 20), "truncated file", "header length");
        assertRejected(java.util.Arrays.copyOf(good, good.length - 1), "tensor \"b\"", "[24, 30]", "beyond the data section (29 bytes");
    }

    @Test
    void absurdHeaderLengths() {
        byte[] bytes = file(GOOD_HEADER, 30);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertRejected(bytes, "header length 18446744073709551615 is absurd");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 200_000_000L);
        assertRejected(bytes, "header length 200000000 is absurd");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L);
        assertRejected(bytes, "header length 1 is absurd");
    }

    @Test
    void headersThatAreNotJsonObjects() {
        assertRejected(file("{\"w\": [1, 2", 0), "header is not valid JSON");
        assertRejected(file("[1, 2]  ", 0), "must be a JSON object", "[1, 2]");
        assertRejected(file("{} {}", 0), "header is not valid JSON");
        byte[] notUtf8 = file("{\"w\":1}", 0);
        notUtf8[10] = (byte) 0xff;
        assertRejected(notUtf8, "not valid UTF-8");
        assertRejected(file("{\"w\":" + W + ",\"w\":" + W + "}", 24), "not valid JSON", "Duplicate field 'w'");
        assertRejected(file("{\"w\":NaN}", 0), "not valid JSON");
    }

    @Test
    void spacePaddedHeadersAndEmptyFilesAreValid() throws Exception {
        assertEquals(0, parse(file("{}      ", 0)).tensors().size());
        assertEquals(2, parse(file(GOOD_HEADER + "   ", 30)).tensors().size());
    }

    @Test
    void tensorEntriesOfTheWrongForm() {
        assertRejected(file(header("3", B), 30), "tensor \"w\" must be an object with dtype, shape and data_offsets");
        assertRejected(file(header("{\"dtype\":\"F32\",\"shape\":[2,3]}", B), 30), "tensor \"w\"", "data_offsets");
        assertRejected(file(header(W.replace("\"F32\"", "\"Q7\""), B), 30), "tensor \"w\"", "unknown dtype", "\"Q7\"");
        assertRejected(file(header(W.replace("\"F32\"", "4"), B), 30), "tensor \"w\": dtype must be a string");
        assertRejected(file(header(W.replace("[2,3]", "[2,-3]"), B), 30), "tensor \"w\": shape must be", "[2,-3]");
        assertRejected(file(header(W.replace("[2,3]", "[2,3.5]"), B), 30), "tensor \"w\": shape must be");
        assertRejected(file(header(W.replace("[0,24]", "[0]"), B), 30), "tensor \"w\": data_offsets must be [begin, end]");
        assertRejected(file(header(W.replace("[0,24]", "[0,99999999999999999999]"), B), 30), "tensor \"w\": data_offsets must be");
        assertRejected(file("{\"__metadata__\":{\"a\":1}}", 0), "__metadata__[\"a\"] must be a string, got 1");
        assertRejected(file("{\"__metadata__\":[]}", 0), "__metadata__ must be an object");
    }

    @Test
    void offsetsOutOfRangeOrReversed() {
        assertRejected(file(header(W, B.replace("[24,30]", "[24,36]")), 30), "tensor \"b\"", "[24, 36]", "beyond the data section");
        assertRejected(file(header(W.replace("[0,24]", "[24,0]"), B), 30), "tensor \"w\"", "[24, 0] are reversed");
        assertRejected(file(header(W, B.replace("[24,30]", "[9223372036854775800,9223372036854775806]")), 30),
                "tensor \"b\"", "beyond the data section");
    }

    @Test
    void byteLengthMustMatchShapeAndDtype() {
        assertRejected(file(header(W.replace("[2,3]", "[2,4]"), B), 30), "tensor \"w\"", "hold 24 bytes", "[2, 4] of F32 needs 32");
        assertRejected(file(header(W.replace("\"F32\"", "\"F64\""), B), 30), "tensor \"w\"", "F64 needs 48");
        assertRejected(file(header(W.replace("[2,3]", "[4294967296,4294967296,4294967296]"), B), 30), "tensor \"w\"",
                "needs more than 2^63");
    }

    @Test
    void overlapsHolesAndTrailingBytes() {
        assertRejected(file(header(W, B.replace("[24,30]", "[20,26]")), 30), "tensors \"w\" [0, 24) and \"b\" [20, 26) overlap");
        assertRejected(file(header(W.replace("[0,24]", "[6,30]"), B.replace("[24,30]", "[0,8]").replace("[3]", "[4]")), 30),
                "tensors \"b\" [0, 8) and \"w\" [6, 30) overlap");
        assertRejected(file(header(W, B.replace("[24,30]", "[26,32]")), 32), "tensor \"b\" begins at 26", "[24, 26)", "no holes");
        assertRejected(file(header(W, B), 34), "4 bytes after the last tensor \"b\"");
        assertRejected(file("{}", 3), "3 bytes after the header (no tensors)");
    }

    @Test
    void everyTruncationIsRejectedCleanly() {
        byte[] good = file(GOOD_HEADER, 30);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            assertThrows(SafetensorsFormatException.class, () -> parse(cut), "truncated to " + n + " bytes");
        }
    }

    @Test
    void randomCorruptionGivesAValidFileOrOneCleanError() {
        byte[] good = file(GOOD_HEADER, 30);
        SplittableRandom random = new SplittableRandom(19);
        int rejected = 0;
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] bad = good.clone();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(bad.length);
                // mostly header bytes; digits and JSON punctuation make the interesting headers
                bad[at] = random.nextBoolean() ? (byte) "0123456789[]{},:\"-.eE ".charAt(random.nextInt(22))
                        : (byte) random.nextInt(256);
            }
            try {
                SafetensorsHeader h = parse(bad);
                // accepted: every tensor must lie inside the data, so reading it stays inside the file
                for (TensorInfo t : h.tensors()) {
                    assertTrue(0 <= t.begin() && t.begin() <= t.end() && t.end() <= h.dataLength(), t.toString());
                }
            } catch (SafetensorsFormatException e) {
                rejected++;
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            } catch (RuntimeException e) {
                fail("corruption " + trial + " threw " + e + " for " + new String(bad, StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(rejected > 10_000, "most corruptions are caught, " + rejected);
    }

    @Test
    void openNamesTheFileAndClosesTheMapping(@TempDir Path dir) throws Exception {
        Path bad = Files.write(dir.resolve("bad.safetensors"), file(header(W.replace("\"F32\"", "\"F8\""), B), 30));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(bad));
        assertTrue(e.getMessage().startsWith(bad.toString() + ": tensor \"w\""), e.getMessage());
        Files.delete(bad); // the mapping of the failed open is gone
        Path empty = Files.write(dir.resolve("empty.safetensors"), new byte[0]);
        assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(empty));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SafetensorsFile.open(dir.resolve("none")));
    }
}
