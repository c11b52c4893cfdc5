package dev.panode.adjoint.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.Allocations;
import org.junit.jupiter.api.Test;

class CheckpointStoreTest {

    @Test
    void roundTripsStatesExactly() {
        try (CheckpointStore store = new CheckpointStore(6, 10 * 48)) {
            double[] a = {1, -2, Math.PI, 1e-300, Double.MAX_VALUE, -0.0};
            double[] buf = new double[9];
            store.write(3, a, 0);
            store.read(3, buf, 2);
            assertArrayEquals(a, java.util.Arrays.copyOfRange(buf, 2, 8));
            assertEquals(10, store.capacity());
            assertTrue(store.bytesUsed() <= store.budgetBytes());
            assertEquals(4, store.slotsWritten());
        }
    }

    @Test
    void budgetIsRespectedAndTheMessageNamesBudgetAndRequest() {
        long budget = 5 * 8 * 100 + 7;
        try (CheckpointStore store = new CheckpointStore(100, budget)) {
            double[] s = new double[100];
            for (int i = 0; i < 5; i++) store.write(i, s, 0);
            assertTrue(store.bytesUsed() <= budget);
            var e = assertThrows(CheckpointBudgetExceededException.class, () -> store.write(5, s, 0));
            assertTrue(e.getMessage().contains(Long.toString(budget)), e.getMessage());
            assertTrue(e.getMessage().contains("slot 5"), e.getMessage());
            assertTrue(e.getMessage().contains("4800"), e.getMessage());
        }
        assertThrows(CheckpointBudgetExceededException.class, () -> new CheckpointStore(100, 799));
    }

    @Test
    void memoryIsTakenOnlyAsSlotsAreWritten() {
        try (CheckpointStore store = new CheckpointStore(1000, 1L << 30)) {
            assertEquals(0, store.bytesUsed());
            store.write(0, new double[1000], 0);
            assertEquals(8000, store.bytesUsed(), "the first chunk holds one slot");
            for (int i = 1; i < 100; i++) store.write(i, new double[1000], 0);
            assertTrue(store.bytesUsed() <= 2 * 100 * 8000, "at most twice what was written: " + store.bytesUsed());
            assertTrue(store.bytesUsed() >= 100 * 8000);
        }
    }

    @Test
    void closedStoreFailsLoudlyAndFreesItsMemory() {
        long before = CheckpointStore.openBytesAllStores();
        CheckpointStore store = new CheckpointStore(4, 1024);
        store.write(0, new double[4], 0);
        assertTrue(CheckpointStore.openBytesAllStores() > before);
        store.close();
        store.close();
        assertEquals(before, CheckpointStore.openBytesAllStores());
        assertTrue(store.isClosed());
        assertThrows(IllegalStateException.class, () -> store.write(0, new double[4], 0));
        assertThrows(IllegalStateException.class, () -> store.read(0, new double[4], 0));
    }

    @Test
    void closeFromAnotherThreadIsRefusedAndTheOwnersCloseStillFreesTheMemory() throws Exception {
        long before = CheckpointStore.openBytesAllStores();
        CheckpointStore store = new CheckpointStore(4, 1024);
        store.write(0, new double[4], 0);
        long held = CheckpointStore.openBytesAllStores() - before;
        assertTrue(held > 0);
        Throwable[] seen = new Throwable[1];
        Thread intruder = new Thread(() -> {
            try {
                store.close();
            } catch (Throwable t) {
                seen[0] = t;
            }
        }, "not-the-owner");
        intruder.start();
        intruder.join();
        assertTrue(seen[0] instanceof WrongThreadException, "the other thread's close is refused: " + seen[0]);
        assertTrue(seen[0].getMessage().contains("not-the-owner") && seen[0].getMessage().contains("owner"),
                seen[0].getMessage());
        assertFalse(store.isClosed(), "the refused close does not mark the store closed");
        assertEquals(held, CheckpointStore.openBytesAllStores() - before, "nothing was freed yet");
        double[] back = new double[4];
        store.read(0, back, 0); // still usable by its owner
        store.close();
        assertTrue(store.isClosed());
        assertEquals(before, CheckpointStore.openBytesAllStores(), "the owner's close frees every byte");
    }

    @Test
    void rejectsBadArguments() {
        try (CheckpointStore store = new CheckpointStore(4, 1024)) {
            assertThrows(IllegalArgumentException.class, () -> store.write(-1, new double[4], 0));
            assertThrows(IllegalArgumentException.class, () -> store.write(0, new double[3], 0));
            assertThrows(IllegalArgumentException.class, () -> store.read(7, new double[4], 0));
        }
        assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(0, 1024));
    }

    @Test
    void readsAndWritesAllocateNothing() {
        try (CheckpointStore store = new CheckpointStore(64, 64 * 8 * 32)) {
            double[] a = new double[64];
            double[] b = new double[64];
            int[] i = {0};
            Allocations.assertNoAllocation("CheckpointStore write + read", 20_000, 10_000, () -> {
                store.write(i[0] & 31, a, 0);
                store.read(i[0] & 31, b, 0);
                i[0]++;
            });
        }
    }
}
