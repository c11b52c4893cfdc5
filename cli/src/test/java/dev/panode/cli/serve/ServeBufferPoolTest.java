package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The server's I/O buffer pool keeps at most {@link PanodeServer#BUFFER_POOL_BYTES} of idle buffers of each kind after
 * a burst that held twice as much at once (Jetty's default pool would keep all of it, up to 1/8 of the heap).
 */
class ServeBufferPoolTest {
    private static final int BUFFER = 64 << 10; // the largest pooled capacity

    @Test
    void aBurstLeavesAtMostTheBoundPooled() throws Exception {
        try (PanodeServer server = PanodeServer.start(ServeBadInputTest.limits())) {
            ArrayByteBufferPool pool = server.byteBufferPool();
            for (boolean direct : new boolean[] {false, true}) {
                long before = direct ? pool.getDirectMemory() : pool.getHeapMemory();
                int n = (int) (2 * PanodeServer.BUFFER_POOL_BYTES / BUFFER);
                List<RetainableByteBuffer> held = new ArrayList<>();
                for (int i = 0; i < n; i++) held.add(pool.acquire(BUFFER, direct));
                assertEquals(n, held.stream().filter(b -> b.capacity() == BUFFER).count(), "pooled capacity");
                held.forEach(RetainableByteBuffer::release);
                long kept = direct ? pool.getDirectMemory() : pool.getHeapMemory();
                assertTrue(kept > before, (direct ? "direct" : "heap") + ": released buffers are kept for reuse");
                assertTrue(kept <= PanodeServer.BUFFER_POOL_BYTES + BUFFER, (direct ? "direct" : "heap")
                        + ": " + kept + " bytes kept after a burst of " + (long) n * BUFFER + " bytes");
            }
        }
    }
}
