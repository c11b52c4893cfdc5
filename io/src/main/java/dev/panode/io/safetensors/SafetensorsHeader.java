package dev.panode.io.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.panode.blas.Arguments;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of a safetensors file: the tensors in header order, the {@code __metadata__}
 * strings and where the data section starts.
 *
 * <p>The format: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON (an object, possibly padded
 * with trailing spaces), then the data section. The JSON maps each tensor name to
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} (offsets relative to the data section) and
 * may hold {@code "__metadata__"}, an object of string values. Validation follows the format's own rules: no duplicate
 * keys, {@code begin ≤ end ≤ data length}, {@code end − begin = product(shape) · dtype size}, and the tensors cover the
 * data section exactly, with neither overlaps nor holes nor trailing bytes.
 *
 * @param tensors     the tensors, in header order
 * @param metadata    the {@code __metadata__} entries, in header order (empty when absent)
 * @param dataStart   the offset of the data section in the file, {@code 8 + N}
 * @param dataLength  the length of the data section
 */
public record SafetensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart,
                                long dataLength) {
    /** The reserved header key for the string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";
    /** The largest header accepted (100 MB, the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final ValueLayout.OfLong LENGTH = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Copies the tensor list and the metadata (both unmodifiable). */
    public SafetensorsHeader {
        tensors = Arguments.nonNullCopy(tensors, "tensors");
        Arguments.nonNull(metadata, "metadata");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Reads and validates the header of a whole safetensors file held in {@code file} (a mapped file or a heap
     * segment); {@code source} names the file in messages. Reads only inside {@code file}; costs O(N + T log T) for a
     * header of N bytes and T tensors.
     *
     * @throws SafetensorsFormatException when the bytes are not a valid safetensors file
     */
    public static SafetensorsHeader parse(MemorySegment file, String source) throws SafetensorsFormatException {
        long size = file.byteSize();
        if (size < 8) {
            throw error(source, "truncated file: " + size + " bytes, fewer than the 8-byte header length");
        }
        long n = file.get(LENGTH, 0);
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw error(source, "header length " + Long.toUnsignedString(n) + " is absurd (must be in [2, "
                    + MAX_HEADER_BYTES + "])");
        }
        if (n > size - 8) {
            throw error(source, "truncated file: header length " + n + " runs beyond the file (" + size + " bytes)");
        }
        byte[] bytes = file.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root = json(bytes, source);
        long dataStart = 8 + n;
        long dataLength = size - dataStart;
        List<TensorInfo> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA_KEY)) {
                metadata(e.getValue(), metadata, source);
            } else {
                tensors.add(tensor(e.getKey(), e.getValue(), dataLength, source));
            }
        }
        checkCoverage(tensors, dataLength, source);
        return new SafetensorsHeader(tensors, metadata, dataStart, dataLength);
    }

    private static JsonNode json(byte[] bytes, String source) throws SafetensorsFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error(source, "header is not valid UTF-8");
        }
        if (text.charAt(0) != '{') {
            throw error(source, "header must be a JSON object starting with '{', starts with "
                    + quote(text.substring(0, Math.min(16, text.length()))));
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at character " + e.getLocation().getCharOffset();
            throw error(source, "header is not valid JSON" + where + ": " + e.getOriginalMessage().lines().findFirst()
                    .orElse(""));
        }
    }

    private static void metadata(JsonNode node, Map<String, String> into, String source)
            throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw error(source, METADATA_KEY + " must be an object of strings, got " + brief(node));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw error(source, METADATA_KEY + "[" + quote(e.getKey()) + "] must be a string, got "
                        + brief(e.getValue()));
            }
            into.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static TensorInfo tensor(String name, JsonNode node, long dataLength, String source)
            throws SafetensorsFormatException {
        String what = "tensor " + quote(name);
        if (!node.isObject() || !node.has("dtype") || !node.has("shape") || !node.has("data_offsets")) {
            throw error(source, what + " must be an object with dtype, shape and data_offsets, got " + brief(node));
        }
        JsonNode dtypeNode = node.get("dtype");
        if (!dtypeNode.isTextual()) throw error(source, what + ": dtype must be a string, got " + brief(dtypeNode));
        Dtype dtype;
        try {
            dtype = Dtype.of(dtypeNode.textValue());
        } catch (IllegalArgumentException e) {
            throw error(source, what + ": unknown " + e.getMessage());
        }
        JsonNode shapeNode = node.get("shape");
        List<Long> shape = naturals(shapeNode);
        if (shape == null) {
            throw error(source, what + ": shape must be an array of integers >= 0, got " + brief(shapeNode));
        }
        JsonNode offsetsNode = node.get("data_offsets");
        List<Long> offsets = naturals(offsetsNode);
        if (offsets == null || offsets.size() != 2) {
            throw error(source, what + ": data_offsets must be [begin, end] with integers >= 0, got "
                    + brief(offsetsNode));
        }
        long begin = offsets.get(0), end = offsets.get(1);
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
        if (begin > end) {
            throw error(source, what + ": data_offsets [" + begin + ", " + end + "] are reversed (begin > end)");
        }
        if (end > dataLength) {
            throw error(source, what + ": data_offsets [" + begin + ", " + end + "] run beyond the data section ("
                    + dataLength + " bytes; truncated file?)");
        }
        long elements = info.elementCount();
        if (elements < 0 || elements > Long.MAX_VALUE / dtype.size() || elements * dtype.size() != end - begin) {
            throw error(source, what + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes, but shape " + shape + " of " + dtype + " needs "
                    + (elements < 0 || elements > Long.MAX_VALUE / dtype.size() ? "more than 2^63"
                    : Long.toString(elements * dtype.size())));
        }
        return info;
    }

    /** Non-overlapping, without holes, up to the end of the data section. */
    private static void checkCoverage(List<TensorInfo> tensors, long dataLength, String source)
            throws SafetensorsFormatException {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < covered) {
                throw error(source, "tensors " + quote(previous.name()) + " [" + previous.begin() + ", "
                        + previous.end() + ") and " + quote(t.name()) + " [" + t.begin() + ", " + t.end()
                        + ") overlap");
            }
            if (t.begin() > covered) {
                throw error(source, "tensor " + quote(t.name()) + " begins at " + t.begin() + ", leaving bytes ["
                        + covered + ", " + t.begin() + ") of the data section unused (the format allows no holes)");
            }
            covered = t.end();
            previous = t;
        }
        if (covered != dataLength) {
            throw error(source, "the data section has " + (dataLength - covered) + " bytes after "
                    + (previous == null ? "the header (no tensors)" : "the last tensor " + quote(previous.name()))
                    + " (the format allows no trailing bytes)");
        }
    }

    /** The array's elements when all are integers in [0, 2^63), else null. */
    private static List<Long> naturals(JsonNode node) {
        if (node == null || !node.isArray()) return null;
        List<Long> out = new ArrayList<>(node.size());
        for (JsonNode x : node) {
            if (!x.isIntegralNumber() || !x.canConvertToLong() || x.longValue() < 0) return null;
            out.add(x.longValue());
        }
        return out;
    }

    private static SafetensorsFormatException error(String source, String message) {
        return new SafetensorsFormatException(source + ": " + message);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }

    private static String brief(JsonNode node) {
        String s = String.valueOf(node).replace("\n", " ");
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The tensor named {@code name}, or null. */
    public TensorInfo tensor(String name) {
        for (TensorInfo t : tensors) {
            if (t.name().equals(name)) return t;
        }
        return null;
    }
}
