package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A connection served back to back on one thread yields once per turn; connections interleaved on a thread, and a
 * connection that pauses, never yield.
 */
class InlineTurnsTest {
    private static final long SOLVE = 30_000, GAP = 10_000;

    @Test
    void oneConnectionServedBackToBackYieldsOncePerTurn() {
        InlineTurns t = new InlineTurns();
        long now = 1_000_000;
        int inline = 0;
        while (!t.hadTurn(now)) {
            t.ended(now, now + SOLVE);
            now += SOLVE + GAP;
            inline++;
            assertTrue(inline < 1000, "never yielded");
        }
        long turn = InlineTurns.TURN_NANOS / SOLVE;
        assertTrue(inline >= turn && inline <= turn + 2, "inline requests in one turn: " + inline);
        assertFalse(t.hadTurn(now + GAP), "after yielding, the next request starts a new run");
    }

    @Test
    void connectionsInterleavedOnAThreadNeverYield() {
        InlineTurns a = new InlineTurns(), b = new InlineTurns();
        long now = 0;
        for (int i = 0; i < 1000; i++) {
            InlineTurns c = i % 2 == 0 ? a : b;
            assertFalse(c.hadTurn(now), "request " + i);
            c.ended(now, now + SOLVE);
            now += SOLVE + GAP;
        }
    }

    @Test
    void aConnectionThatPausesNeverYields() {
        InlineTurns t = new InlineTurns();
        long now = 0;
        for (int i = 0; i < 1000; i++) {
            assertFalse(t.hadTurn(now), "request " + i);
            t.ended(now, now + SOLVE);
            now += SOLVE + InlineTurns.HOT_NANOS;
        }
    }
}
