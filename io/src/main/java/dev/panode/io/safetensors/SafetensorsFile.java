package dev.panode.io.safetensors;

import dev.panode.blas.Arguments;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file opened for reading: memory-mapped, its header parsed and validated once
 * ({@link SafetensorsHeader}), its floating-point tensors read on demand as {@code double[]}.
 *
 * <p>The mapping lives in a shared {@link Arena} that {@link #close()} closes; use try-with-resources. Every read is a
 * bounds-checked access of the mapped segment, so nothing outside the file is ever read, whatever the header says.
 * Opening costs one map and the header parse; {@link #read} costs one pass over the tensor's bytes.
 *
 * <p>Not for files larger than the address space, nor for tensors of more than {@code Integer.MAX_VALUE − 16} elements
 * (they do not fit in a {@code double[]}). Thread safety: reads may run concurrently; {@link #close()} must not race
 * with them.
 *
 * @see <a href="https://github.com/huggingface/safetensors">the safetensors format</a>
 */
public final class SafetensorsFile implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment data;
    private final SafetensorsHeader header;
    private final String source;

    private SafetensorsFile(Arena arena, MemorySegment data, SafetensorsHeader header, String source) {
        this.arena = arena;
        this.data = data;
        this.header = header;
        this.source = source;
    }

    /**
     * Maps and validates {@code file}.
     *
     * @throws SafetensorsFormatException naming the file and the tensor when the content is not valid safetensors
     * @throws IOException                when the file cannot be opened or mapped
     */
    public static SafetensorsFile open(Path file) throws IOException {
        Arguments.nonNull(file, "file");
        String source = file.toString();
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            SafetensorsHeader header = SafetensorsHeader.parse(whole, source);
            MemorySegment data = whole.asSlice(header.dataStart(), header.dataLength());
            return new SafetensorsFile(arena, data, header, source);
        } catch (java.nio.file.NoSuchFileException e) {
            arena.close();
            throw new java.nio.file.NoSuchFileException(source, null, "no such file");
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The parsed header. */
    public SafetensorsHeader header() {
        return header;
    }

    /** The tensors, in header order. */
    public List<TensorInfo> tensors() {
        return header.tensors();
    }

    /** The {@code __metadata__} strings (empty when the file has none). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The tensor named {@code name}, or null when the file has none. */
    public TensorInfo tensor(String name) {
        return header.tensor(name);
    }

    /**
     * The values of tensor {@code name}, row-major, converted exactly to double.
     *
     * @throws IllegalArgumentException naming the tensor when there is none of that name, its dtype is not F64, F32,
     *                                  BF16 or F16, or it has too many elements for a {@code double[]}
     */
    public double[] read(String name) {
        TensorInfo t = require(name);
        double[] out = new double[(int) t.elementCount()];
        read(t, out, 0);
        return out;
    }

    /**
     * Reads tensor {@code name} into {@code dst[offset ..)}; no allocation.
     *
     * @throws IllegalArgumentException as {@link #read(String)}, or when {@code dst} is too short
     */
    public void read(String name, double[] dst, int offset) {
        TensorInfo t = require(name);
        Arguments.nonNull(dst, "dst");
        if (offset < 0 || offset > dst.length || dst.length - offset < t.elementCount()) {
            throw new IllegalArgumentException("dst must hold " + t.elementCount() + " values of tensor "
                    + SafetensorsHeader.quote(name) + " from offset " + offset + ", has length " + dst.length);
        }
        read(t, dst, offset);
    }

    private void read(TensorInfo t, double[] dst, int offset) {
        Dtype dtype = t.dtype();
        long n = t.elementCount();
        for (long i = 0; i < n; i++) dst[offset + (int) i] = dtype.get(data, t.begin(), i);
    }

    private TensorInfo require(String name) {
        Arguments.nonNull(name, "name");
        TensorInfo t = header.tensor(name);
        if (t == null) {
            throw new IllegalArgumentException(source + ": no tensor named " + SafetensorsHeader.quote(name));
        }
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(source + ": tensor " + SafetensorsHeader.quote(name) + " has dtype "
                    + t.dtype() + "; only F64, F32, BF16 and F16 are read as numbers");
        }
        if (t.elementCount() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(source + ": tensor " + SafetensorsHeader.quote(name) + " has "
                    + t.elementCount() + " elements, too many for one double[]");
        }
        return t;
    }

    /** Unmaps the file; later reads throw {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
