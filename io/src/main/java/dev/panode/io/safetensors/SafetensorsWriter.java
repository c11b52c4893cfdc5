package dev.panode.io.safetensors;

import dev.panode.blas.Arguments;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a safetensors file from {@code double[]} tensors, each stored as F64, F32, BF16 or F16 (rounded as
 * {@link Dtype} describes).
 *
 * <p>The layout is the reference writer's: the compact JSON header ({@code __metadata__} first, then the tensors in
 * the order they were added, each {@code {"dtype", "shape", "data_offsets"}}) padded with spaces to a multiple of 8
 * bytes, then the tensors back to back in the same order. Costs one pass over the values; the whole file is built in
 * memory before it is written, so it is not for files larger than the heap.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(String name, Dtype dtype, long[] shape, double[] values) {}

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();

    /** An empty writer: no tensors, no metadata. */
    public SafetensorsWriter() {}

    /**
     * Adds a {@code __metadata__} entry (replacing one of the same key).
     *
     * @return this writer
     */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(Arguments.nonNull(key, "key"), Arguments.nonNull(value, "value"));
        return this;
    }

    /**
     * Adds a tensor. The values are read when the file is written (not copied now).
     *
     * @param name   a name not yet used and not {@code __metadata__}
     * @param dtype  F64, F32, BF16 or F16
     * @param shape  the dimensions, each ≥ 0 (empty for a scalar); their product must be {@code values.length}
     * @param values the values, row-major
     * @return this writer
     * @throws IllegalArgumentException naming the argument when one of these conditions fails
     */
    public SafetensorsWriter add(String name, Dtype dtype, long[] shape, double[] values) {
        Arguments.nonNull(name, "name");
        Arguments.nonNull(dtype, "dtype");
        Arguments.nonNull(shape, "shape");
        Arguments.nonNull(values, "values");
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("name must not be " + SafetensorsHeader.METADATA_KEY + " (reserved)");
        }
        for (Entry e : entries) {
            if (e.name().equals(name)) throw new IllegalArgumentException("name must be unique, \"" + name + "\" was added twice");
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("dtype must be F64, F32, BF16 or F16, got " + dtype);
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("shape must have dimensions >= 0, got " + Arrays.toString(shape));
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("values.length must be the product of shape " + Arrays.toString(shape)
                    + " = " + count + " for tensor \"" + name + "\", got " + values.length);
        }
        entries.add(new Entry(name, dtype, shape.clone(), values));
        return this;
    }

    /** The file's bytes. */
    public byte[] toBytes() {
        byte[] header = header();
        long dataLength = 0;
        for (Entry e : entries) dataLength += (long) e.values().length * e.dtype().size();
        long total = 8 + header.length + dataLength;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the file would have " + total + " bytes, too many for one byte[]");
        }
        byte[] out = new byte[(int) total];
        MemorySegment file = MemorySegment.ofArray(out);
        file.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, header.length);
        MemorySegment.copy(header, 0, file, ValueLayout.JAVA_BYTE, 8, header.length);
        long at = 8 + header.length;
        for (Entry e : entries) {
            double[] v = e.values();
            for (int i = 0; i < v.length; i++) e.dtype().put(file, at, i, v[i]);
            at += (long) v.length * e.dtype().size();
        }
        return out;
    }

    /**
     * Writes the file, replacing {@code file}.
     *
     * @throws IOException when the file cannot be written
     */
    public void write(Path file) throws IOException {
        Arguments.nonNull(file, "file");
        Files.write(file, toBytes());
    }

    /** The header JSON, UTF-8, padded with spaces to a multiple of 8 bytes. */
    private byte[] header() {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(m::put);
        }
        long begin = 0;
        for (Entry e : entries) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.shape()) shape.add(d);
            long end = begin + (long) e.values().length * e.dtype().size();
            t.putArray("data_offsets").add(begin).add(end);
            begin = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
