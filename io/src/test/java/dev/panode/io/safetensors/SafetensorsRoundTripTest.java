package dev.panode.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader and the writer agree with the files PyTorch's side wrote by the format's specification: the same tensors
 * and metadata read back, the reference layout reproduced byte for byte, torch's BF16/F16 rounding reproduced.
 */
class SafetensorsRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path fixture(String name) throws Exception {
        return Path.of(SafetensorsRoundTripTest.class.getResource("/dev/panode/io/torch/" + name).toURI());
    }

    /** Every tensor of {@code file}, in header order, into a writer with the same metadata. */
    private static SafetensorsWriter copy(SafetensorsFile file) {
        SafetensorsWriter w = new SafetensorsWriter();
        file.metadata().forEach(w::metadata);
        for (TensorInfo t : file.tensors()) {
            w.add(t.name(), t.dtype(), t.shape().stream().mapToLong(Long::longValue).toArray(), file.read(t.name()));
        }
        return w;
    }

    @Test
    void theReferenceLayoutIsReproducedByteForByte() throws Exception {
        Path torch = fixture("tanh_f32.safetensors");
        try (SafetensorsFile file = SafetensorsFile.open(torch)) {
            assertEquals(Map.of("format", "pt", "generator", "make_fixtures.py", "torch", file.metadata().get("torch")),
                    file.metadata());
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                    file.tensors().stream().map(TensorInfo::name).toList());
            assertArrayEquals(Files.readAllBytes(torch), copy(file).toBytes());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tanh_f64", "tanh_f32", "tanh_bf16", "spiral_f16"})
    void everyFixtureReadsBackIdenticallyAfterAWrite(String name, @TempDir Path dir) throws Exception {
        Path again = dir.resolve(name + ".safetensors");
        try (SafetensorsFile file = SafetensorsFile.open(fixture(name + ".safetensors"))) {
            copy(file).write(again);
            try (SafetensorsFile back = SafetensorsFile.open(again)) {
                assertEquals(file.metadata(), back.metadata());
                assertEquals(file.tensors().size(), back.tensors().size());
                for (TensorInfo t : file.tensors()) {
                    TensorInfo u = back.tensor(t.name());
                    assertEquals(t.dtype(), u.dtype(), t.name());
                    assertEquals(t.shape(), u.shape(), t.name());
                    assertArrayEquals(file.read(t.name()), back.read(t.name()), t.name());
                }
            }
        }
    }

    @Test
    void theUnpaddedFixtureHasUnalignedTensorsInAnotherOrderThanItsHeader() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(fixture("tanh_f64.safetensors"))) {
            assertEquals(1, file.header().dataStart() % 2, "data section at an odd offset");
            TensorInfo first = file.tensors().getFirst();
            assertEquals("0.weight", first.name());
            assertEquals(file.header().dataLength(), first.end(), "the first tensor in the header is the last in the data");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tanh_bf16", "spiral_f16"})
    void writingRoundsAsTorchDoes(String name, @TempDir Path dir) throws Exception {
        JsonNode unrounded = JSON.readTree(fixture(name + ".expected.json").toFile()).get("unrounded");
        try (SafetensorsFile torch = SafetensorsFile.open(fixture(name + ".safetensors"))) {
            for (TensorInfo t : torch.tensors()) {
                JsonNode values = unrounded.get(t.name());
                double[] x = new double[values.size()];
                for (int i = 0; i < x.length; i++) x[i] = values.get(i).doubleValue();
                Path out = dir.resolve("one.safetensors");
                new SafetensorsWriter().add(t.name(), t.dtype(), new long[] {x.length}, x).write(out);
                try (SafetensorsFile ours = SafetensorsFile.open(out)) {
                    assertArrayEquals(torch.read(t.name()), ours.read(t.name()), t.name());
                }
            }
        }
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(f) || Float.isInfinite(f)) continue;
            short b = Dtype.toBfloat16(f);
            double got = Float.intBitsToFloat((b & 0xffff) << 16);
            // the two bfloat16 neighbours of f: truncation and the next one away from zero
            int bits = Float.floatToRawIntBits(f);
            float down = Float.intBitsToFloat(bits & 0xffff0000);
            float up = Float.intBitsToFloat((bits & 0xffff0000) + 0x10000);
            // beyond the largest bfloat16, "up" is the infinity, which rounding treats as the value ±2^128
            double upValue = Float.isInfinite(up) ? Math.copySign(Math.scalb(1.0, 128), up) : up;
            double dDown = Math.abs((double) f - down), dUp = Math.abs(upValue - f);
            double want = dDown < dUp ? down : dUp < dDown ? up
                    : ((Float.floatToRawIntBits(down) >>> 16) & 1) == 0 ? down : up;
            assertEquals(want, got, "bf16(" + f + ")");
        }
        assertTrue(Float.isNaN(Float.intBitsToFloat((Dtype.toBfloat16(Float.NaN) & 0xffff) << 16)));
        assertEquals(Float.POSITIVE_INFINITY, Float.intBitsToFloat((Dtype.toBfloat16(Float.MAX_VALUE) & 0xffff) << 16));
    }

    @Test
    void everyFloatingPointDtypeRoundTripsThroughAFile(@TempDir Path dir) throws Exception {
        double[] values = {0.0, -0.0, 1.0, -2.5, 1e-3, 3.141592653589793, 65504.0, 1e-7, Double.POSITIVE_INFINITY};
        SafetensorsWriter w = new SafetensorsWriter().metadata("k", "v ü");
        for (Dtype d : List.of(Dtype.F64, Dtype.F32, Dtype.BF16, Dtype.F16)) w.add(d.name(), d, new long[] {3, 3}, values);
        w.add("scalar", Dtype.F64, new long[0], new double[] {42.0});
        w.add("empty", Dtype.F32, new long[] {0, 5}, new double[0]);
        Path out = dir.resolve("all.safetensors");
        w.write(out);
        try (SafetensorsFile file = SafetensorsFile.open(out)) {
            assertEquals(Map.of("k", "v ü"), file.metadata());
            assertArrayEquals(values, file.read("F64"));
            double[] f32 = file.read("F32");
            double[] bf16 = file.read("BF16");
            double[] f16 = file.read("F16");
            for (int i = 0; i < values.length; i++) {
                assertEquals((double) (float) values[i], f32[i]);
                assertEquals((double) Float.intBitsToFloat((Dtype.toBfloat16((float) values[i]) & 0xffff) << 16), bf16[i]);
                assertEquals((double) Float.float16ToFloat(Float.floatToFloat16((float) values[i])), f16[i]);
            }
            assertArrayEquals(new double[] {42.0}, file.read("scalar"));
            assertEquals(0, file.read("empty").length);
            assertEquals(List.of(3L, 3L), file.tensor("BF16").shape());
        }
        assertTrue(headerLength(out) % 8 == 0);
    }

    private static long headerLength(Path file) throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(0, f.header().dataStart() % 8, "the writer pads the header to 8 bytes");
            return f.header().dataStart() - 8;
        }
    }

    @Test
    void theWriterRejectsBadTensors() {
        SafetensorsWriter w = new SafetensorsWriter().add("a", Dtype.F64, new long[] {2}, new double[2]);
        assertThrows(IllegalArgumentException.class, () -> w.add("a", Dtype.F64, new long[] {1}, new double[1]));
        assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", Dtype.F64, new long[] {1}, new double[1]));
        assertThrows(IllegalArgumentException.class, () -> w.add("b", Dtype.F64, new long[] {2, 2}, new double[3]));
        assertThrows(IllegalArgumentException.class, () -> w.add("c", Dtype.I64, new long[] {1}, new double[1]));
        assertThrows(IllegalArgumentException.class, () -> w.add("d", Dtype.F32, new long[] {-1}, new double[0]));
    }

    @Test
    void aClosedFileCannotBeRead() throws Exception {
        SafetensorsFile file = SafetensorsFile.open(fixture("tanh_f32.safetensors"));
        file.close();
        file.close();
        assertThrows(IllegalStateException.class, () -> file.read("0.bias"));
    }

    @Test
    void integerTensorsAreValidatedButNotReadAsNumbers(@TempDir Path dir) throws Exception {
        byte[] bytes = SafetensorsBadFileTest.file("{\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}", 8);
        Path out = Files.write(dir.resolve("int.safetensors"), bytes);
        try (SafetensorsFile file = SafetensorsFile.open(out)) {
            assertEquals(Dtype.I64, file.tensor("n").dtype());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> file.read("n"));
            assertTrue(e.getMessage().contains("\"n\"") && e.getMessage().contains("I64"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> file.read("missing"));
        }
    }
}
