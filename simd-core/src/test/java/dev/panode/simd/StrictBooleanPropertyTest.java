package dev.panode.simd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@value ActivationKernel#STRICT_MATH_PROPERTY} and its kind are read strictly: true or false, nothing else. */
class StrictBooleanPropertyTest {
    private static final String NAME = "panode.test.strictBoolean";

    @Test
    void trueOrFalseOnlyAnythingElseNamesThePropertyAndTheValue() {
        try {
            System.clearProperty(NAME);
            assertFalse(ActivationKernel.strictBoolean(NAME));
            System.setProperty(NAME, "TRUE");
            assertTrue(ActivationKernel.strictBoolean(NAME));
            System.setProperty(NAME, "false");
            assertFalse(ActivationKernel.strictBoolean(NAME));
            for (String bad : new String[] {"yes", "1", "on", ""}) {
                System.setProperty(NAME, bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ActivationKernel.strictBoolean(NAME));
                assertTrue(e.getMessage().contains("-D" + NAME + " = '" + bad + "'")
                        && e.getMessage().contains("true or false"), e.getMessage());
            }
        } finally {
            System.clearProperty(NAME);
        }
    }
}
