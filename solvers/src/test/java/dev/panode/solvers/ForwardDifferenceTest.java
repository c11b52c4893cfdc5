package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The forward-difference increment: RADAU5's δ = √(u · max(10⁻⁵, |x|)) to within the rounding of x + δ, positive for
 * every finite x (so a difference quotient never divides by zero), and a derivative from it accurate to about √u
 * (about u/δ ≈ 10⁻⁷ near 0).
 */
class ForwardDifferenceTest {
    @Test
    void theIncrementIsRadau5sToWithinTheRoundingOfThePoint() {
        assertEquals(0x1p-53, ForwardDifference.UNIT_ROUNDOFF);
        double[] xs = {0.0, -0.0, 1e-300, 1e-12, 1e-5, -3e-4, 0.7, -1.0, 2.5, 1e3, -4.2e8, 1e15, 3e16};
        for (double x : xs) {
            double expected = Math.sqrt(0x1p-53 * Math.max(1e-5, Math.abs(x)));
            double represented = ForwardDifference.perturbed(x) - x;
            assertTrue(represented > 0, "x = " + x);
            assertEquals(expected, represented, Math.ulp(x + expected), "x = " + x);
        }
    }

    @Test
    void beyondFourOverTheRoundoffThePointIsTheNextDouble() {
        for (double x : new double[] {1e17, -2.5e30, 3e200, -Double.MAX_VALUE}) {
            assertEquals(Math.nextUp(x), ForwardDifference.perturbed(x), "x = " + x);
        }
        assertEquals(Double.POSITIVE_INFINITY, ForwardDifference.perturbed(Double.MAX_VALUE));
    }

    @Test
    void aDifferenceQuotientOfExpIsAccurateToAboutTheSquareRootOfTheRoundoff() {
        for (double x = -5; x <= 5; x += 0.25) {
            double xp = ForwardDifference.perturbed(x);
            double quotient = (Math.exp(xp) - Math.exp(x)) / (xp - x);
            double bound = Math.abs(x) >= 1 ? 3e-8 : 3e-7; // √u·|x| against u/δ below |x| = 1
            assertEquals(Math.exp(x), quotient, bound * Math.exp(x), "x = " + x);
        }
    }
}
