package dev.panode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The method catalogue: names, aliases, spelling tolerance and errors. */
class MethodsTest {
    @Test
    void everyNameAndEveryMethodsOwnNameFindIt() {
        List<String> names = Methods.names();
        assertEquals(names.size(), new HashSet<>(names).size(), "names are unique: " + names);
        for (String name : names) {
            OdeMethod m = Methods.byName(name);
            assertSame(m, Methods.byName(m.name()), "the method's own name " + m.name() + " finds it");
        }
    }

    @Test
    void builtInsAreTheSharedInstances() {
        assertSame(RungeKutta.dopri5(), Methods.byName("dopri5"));
        assertSame(RungeKutta.rk4ThreeEighths(), Methods.byName("rk4-38"));
        assertSame(RungeKutta.dop853(), Methods.byName("dop853"));
    }

    @Test
    void spellingAndAliasesAreTolerated() {
        assertSame(RungeKutta.rk4ThreeEighths(), Methods.byName("RK4_38"));
        assertSame(RungeKutta.rk4ThreeEighths(), Methods.byName("rk4 3/8"));
        assertSame(RungeKutta.rk4(), Methods.byName("rk4-classic"));
        assertSame(RungeKutta.tsit5(), Methods.byName("Tsit5"));
    }

    @Test
    void multistepMethodsAreInTheCatalogueButNotRungeKutta() {
        OdeMethod ab3 = Methods.byName("ab3");
        assertInstanceOf(LinearMultistep.class, ab3);
        assertEquals(3, ab3.order());
        assertTrue(Methods.names().contains("leapfrog"));
        assertTrue(!Methods.rungeKuttaNames().contains("leapfrog"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Methods.rungeKutta("leapfrog"));
        assertTrue(e.getMessage().contains("Runge–Kutta") && e.getMessage().contains("leapfrog"), e.getMessage());
    }

    @Test
    void implicitMethodsAreInTheCatalogueButNotRungeKutta() {
        assertInstanceOf(Esdirk.class, Methods.byName("kvaerno5"));
        assertInstanceOf(Rosenbrock.class, Methods.byName("Rodas5P"));
        assertTrue(!Methods.rungeKuttaNames().contains("kvaerno5") && !Methods.rungeKuttaNames().contains("rodas5p"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Methods.rungeKutta("rodas5p"));
        assertTrue(e.getMessage().contains("rodas5p, an implicit method"), e.getMessage());
    }

    @Test
    void unknownNamesAreNamedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Methods.byName("rk5"));
        assertTrue(e.getMessage().contains("rk5") && e.getMessage().contains("dopri5, dopri5-torchdiffeq, tsit5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Methods.byName(null));
    }
}
