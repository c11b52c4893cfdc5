package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A connection whose requests keep following at once runs inline for one turn, then yields its selector once; a
 * connection that pauses starts a new turn.
 */
class InlineTurnsTest {
    private static final long SOLVE = 30_000;

    @Test
    void aBackToBackConnectionYieldsOncePerTurn() {
        InlineTurns t = new InlineTurns();
        long now = 1_000_000;
        assertFalse(t.hadTurn(now), "a new connection may run inline");
        int inline = 1;
        // each next request arrives 10 µs after the previous inline solve ended: hot
        while (true) {
            t.ended(now += SOLVE);
            now += 10_000;
            if (t.hadTurn(now)) break;
            inline++;
            assertTrue(inline < 1000, "never yielded");
        }
        long turn = InlineTurns.TURN_NANOS / (SOLVE + 10_000);
        assertTrue(inline >= turn && inline <= turn + 1, "inline requests in one turn: " + inline);
        assertFalse(t.hadTurn(now + 10_000), "after yielding, the next request starts a new turn");
    }

    @Test
    void aConnectionThatPausesNeverYields() {
        InlineTurns t = new InlineTurns();
        long now = 0;
        for (int i = 0; i < 1000; i++) {
            assertFalse(t.hadTurn(now), "request " + i);
            t.ended(now += SOLVE);
            now += InlineTurns.HOT_NANOS;
        }
    }
}
