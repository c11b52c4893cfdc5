package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A connection whose next request was already waiting when its inline solve ended yields its selector. */
class InlineTurnsTest {
    @Test
    void aConnectionYieldsOnlyWhenItsNextRequestFollowsAtOnce() {
        InlineTurns t = new InlineTurns();
        assertFalse(t.hadTurn(0), "a new connection may run inline");
        t.ended(1_000_000);
        assertTrue(t.hadTurn(1_000_000 + InlineTurns.HOT_NANOS / 2), "was waiting: to the pool");
        assertFalse(t.hadTurn(1_000_000 + InlineTurns.HOT_NANOS), "paused: inline again");
    }
}
