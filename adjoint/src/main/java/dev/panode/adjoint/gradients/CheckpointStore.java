package dev.panode.adjoint.gradients;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Off-heap storage for solver states (checkpoints), in numbered slots of {@code slotLength} doubles each
 * (typically one batch of states, {@code rows × dim}).
 *
 * <p>Memory comes from a confined {@link Arena} ({@link Arena#ofConfined()}): the store belongs to the thread that
 * created it (one gradient computation), every access from another thread fails (a {@link GradientSession}'s stores
 * use a shared arena instead, so that the session may move between threads), and {@link #close()} frees all of
 * it at once, deterministically, without the garbage collector. Memory is taken in chunks as slots are first
 * written (chunks of 1, 2, 4, … slots up to about 1 MiB each), so a store sized for a long solve costs at most about
 * twice what the solve actually writes, and never more than {@link #budgetBytes()}.
 *
 * <p>Reads and writes are {@link MemorySegment#copy} calls between the segment and a caller's {@code double[]}:
 * no allocation once the slot's chunk exists.
 *
 * <p>Failures are loud: any access after {@link #close()} throws {@link IllegalStateException}; writing a slot beyond
 * the budget throws {@link CheckpointBudgetExceededException}, whose message names the budget and the request.
 */
public final class CheckpointStore implements AutoCloseable {

    private static final AtomicLong OPEN_BYTES = new AtomicLong();
    private static final long CHUNK_TARGET_BYTES = 1L << 20;

    private final Arena arena;
    /** The creating thread of a confined store, the only one that may close it; null for a shared store. */
    private final Thread owner;
    private final int slotLength;
    private final long slotBytes;
    private final long budgetBytes;
    private final int capacity;
    private final int maxChunkSlots;
    private final int geometricChunks;
    private MemorySegment[] chunks;
    private long[][] written;
    private long bytesUsed;
    private int slotsWritten;
    private boolean closed;

    /**
     * Creates an empty store.
     *
     * @param slotLength  doubles per slot (at least 1)
     * @param budgetBytes the most off-heap memory the store may take; at least one slot's worth
     * @throws IllegalArgumentException if {@code slotLength < 1} or the budget cannot hold one slot
     */
    public CheckpointStore(int slotLength, long budgetBytes) {
        this(slotLength, budgetBytes, false);
    }

    /**
     * Creates an empty store whose memory comes from a shared arena when {@code shared}: any thread may use it (one
     * at a time) and close it. A {@link GradientSession} uses such stores, so that it may move between threads.
     */
    CheckpointStore(int slotLength, long budgetBytes, boolean shared) {
        if (slotLength < 1) throw new IllegalArgumentException("slotLength must be >= 1, got " + slotLength);
        this.slotBytes = slotBytes(slotLength);
        if (budgetBytes < slotBytes) {
            throw new CheckpointBudgetExceededException("checkpoint budget of " + budgetBytes
                    + " bytes cannot hold one slot of " + slotLength + " doubles (" + slotBytes + " bytes)");
        }
        this.slotLength = slotLength;
        this.budgetBytes = budgetBytes;
        this.capacity = (int) Math.min(Integer.MAX_VALUE - 8, budgetBytes / slotBytes);
        this.maxChunkSlots = Integer.highestOneBit((int) Math.max(1, Math.min(capacity, CHUNK_TARGET_BYTES / slotBytes)));
        this.geometricChunks = Integer.numberOfTrailingZeros(maxChunkSlots);
        this.chunks = new MemorySegment[8];
        this.written = new long[8][];
        this.arena = shared ? Arena.ofShared() : Arena.ofConfined();
        this.owner = shared ? null : Thread.currentThread();
    }

    /** The bytes one slot of {@code slotLength} doubles takes. */
    public static long slotBytes(int slotLength) {
        return (long) slotLength * Double.BYTES;
    }

    /** The number of slots that fit in {@code budgetBytes} for slots of {@code slotLength} doubles. */
    public static long slotsWithin(long budgetBytes, int slotLength) {
        if (slotLength < 1) throw new IllegalArgumentException("slotLength must be >= 1, got " + slotLength);
        return Math.max(0, budgetBytes) / slotBytes(slotLength);
    }

    /**
     * Copies {@code src[srcOffset .. srcOffset + slotLength)} into slot {@code slot}.
     *
     * @throws CheckpointBudgetExceededException if {@code slot} lies beyond the budget
     * @throws IllegalStateException             if the store is closed
     */
    public void write(int slot, double[] src, int srcOffset) {
        checkArray("src", src, srcOffset);
        MemorySegment chunk = chunkFor(slot, true);
        MemorySegment.copy(src, srcOffset, chunk, ValueLayout.JAVA_DOUBLE, offsetInChunk(slot), slotLength);
        int inChunk = indexInChunk(slot);
        written[chunkIndex(slot)][inChunk >>> 6] |= 1L << inChunk;
        if (slot >= slotsWritten) slotsWritten = slot + 1;
    }

    /**
     * Copies slot {@code slot} into {@code dst[dstOffset .. dstOffset + slotLength)}.
     *
     * @throws IllegalArgumentException if the slot was never written
     * @throws IllegalStateException    if the store is closed
     */
    public void read(int slot, double[] dst, int dstOffset) {
        checkArray("dst", dst, dstOffset);
        MemorySegment chunk = chunkFor(slot, false);
        int inChunk = indexInChunk(slot);
        if ((written[chunkIndex(slot)][inChunk >>> 6] & (1L << inChunk)) == 0) {
            throw new IllegalArgumentException("slot " + slot + " was never written");
        }
        MemorySegment.copy(chunk, ValueLayout.JAVA_DOUBLE, offsetInChunk(slot), dst, dstOffset, slotLength);
    }

    /**
     * Forgets every slot written so far while keeping the memory already taken, so that a store can serve one
     * gradient computation after another without allocating: later writes reuse the chunks, reads of slots not
     * written since fail again. Allocates nothing.
     *
     * @throws IllegalStateException if the store is closed
     */
    public void reset() {
        if (closed) throw new IllegalStateException("checkpoint store is closed (reset requested)");
        for (long[] bits : written) {
            if (bits != null) java.util.Arrays.fill(bits, 0L);
        }
        slotsWritten = 0;
    }

    /** Doubles per slot. */
    public int slotLength() {
        return slotLength;
    }

    /** The most slots the budget allows. */
    public int capacity() {
        return capacity;
    }

    /** The budget this store was created with, in bytes. */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** Off-heap bytes taken so far (whole chunks); never more than {@link #budgetBytes()}. */
    public long bytesUsed() {
        return bytesUsed;
    }

    /** One more than the highest slot index written so far. */
    public int slotsWritten() {
        return slotsWritten;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Frees all off-heap memory; idempotent. A confined store must be closed by its owner (the thread that created
     * it): from any other thread this throws {@link WrongThreadException} and changes nothing, so the owner's own
     * {@code close()} still frees the memory and {@link #openBytesAllStores()} stays exact. A shared store (a
     * gradient session's) may be closed from any thread. If the arena refuses to close, the store stays open.
     *
     * @throws WrongThreadException if a confined store is closed from a thread other than its owner
     */
    @Override
    public void close() {
        if (closed) return;
        if (owner != null && Thread.currentThread() != owner) {
            throw new WrongThreadException("checkpoint store is owned by thread \"" + owner.getName() + "\"; close() "
                    + "from thread \"" + Thread.currentThread().getName() + "\" is refused (the owner must close it)");
        }
        arena.close();
        closed = true;
        OPEN_BYTES.addAndGet(-bytesUsed);
    }

    /**
     * Off-heap bytes held by all stores not yet closed, in this JVM: a diagnostic for leak checks (it returns to
     * its previous value when every store has been closed).
     */
    public static long openBytesAllStores() {
        return OPEN_BYTES.get();
    }

    private MemorySegment chunkFor(int slot, boolean allocate) {
        if (closed) throw new IllegalStateException("checkpoint store is closed (slot " + slot + " requested)");
        if (slot < 0) throw new IllegalArgumentException("slot must be >= 0, got " + slot);
        if (slot >= capacity) {
            throw new CheckpointBudgetExceededException("checkpoint budget of " + budgetBytes + " bytes exceeded: slot "
                    + slot + " needs " + ((long) slot + 1) * slotBytes + " bytes (" + slotBytes + " bytes per slot, "
                    + capacity + " slots fit)");
        }
        int c = chunkIndex(slot);
        if (c >= chunks.length) {
            if (!allocate) throw new IllegalArgumentException("slot " + slot + " was never written");
            int len = Math.max(c + 1, 2 * chunks.length);
            chunks = java.util.Arrays.copyOf(chunks, len);
            written = java.util.Arrays.copyOf(written, len);
        }
        MemorySegment chunk = chunks[c];
        if (chunk == null) {
            if (!allocate) throw new IllegalArgumentException("slot " + slot + " was never written");
            int start = chunkStart(c);
            int slotsInChunk = Math.min(chunkStart(c + 1) - start, capacity - start);
            long bytes = slotsInChunk * slotBytes;
            chunk = arena.allocate(bytes, Double.BYTES);
            chunks[c] = chunk;
            written[c] = new long[(slotsInChunk + 63) >>> 6];
            bytesUsed += bytes;
            OPEN_BYTES.addAndGet(bytes);
        }
        return chunk;
    }

    /** Chunk c &lt; G holds 2^c slots (G = log2 of the largest chunk M); later chunks hold M slots each. */
    private int chunkIndex(int slot) {
        if (slot < maxChunkSlots - 1) return 31 - Integer.numberOfLeadingZeros(slot + 1);
        return geometricChunks + (slot - (maxChunkSlots - 1)) / maxChunkSlots;
    }

    private int chunkStart(int c) {
        if (c <= geometricChunks) return (1 << c) - 1;
        return (int) Math.min(Integer.MAX_VALUE, (maxChunkSlots - 1) + (long) (c - geometricChunks) * maxChunkSlots);
    }

    private int indexInChunk(int slot) {
        return slot - chunkStart(chunkIndex(slot));
    }

    private long offsetInChunk(int slot) {
        return (long) indexInChunk(slot) * slotBytes;
    }

    private void checkArray(String name, double[] a, int off) {
        if (a == null) throw new IllegalArgumentException(name + " must be non-null");
        if (off < 0 || (long) off + slotLength > a.length) {
            throw new IllegalArgumentException(name + " of length " + a.length + " cannot hold " + slotLength
                    + " doubles at offset " + off);
        }
    }
}
