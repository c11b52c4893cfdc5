package dev.panode.solvers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The catalogue of built-in methods by name: the one place where a name such as {@code "dopri5"} or {@code "ab3"}
 * becomes an {@link OdeMethod}. The command line, the benchmarks and the tests all look methods up here, so a new
 * built-in method is its own small file plus one {@link #BUILT_IN} line.
 *
 * <pre>{@code
 * OdeMethod m = Methods.byName("tsit5");
 * RungeKutta rk = Methods.rungeKutta("rk4-38");      // for gradient methods that need a tableau
 * }</pre>
 *
 * <p>Names are matched case-insensitively, with {@code '_'}, {@code ' '} and {@code '/'} read as {@code '-'}
 * ({@code "RK4_38"} and {@code "rk4 3/8"} both find {@code rk4-38}). Lookups cost one hash-map probe; the method
 * objects are immutable and shared.
 */
public final class Methods {
    private record Entry(String name, OdeMethod method, String... aliases) {}

    private static final List<Entry> BUILT_IN = List.of(
            new Entry("euler", RungeKutta.euler()),
            new Entry("midpoint", RungeKutta.midpoint()),
            new Entry("heun", RungeKutta.heun()),
            new Entry("ralston", RungeKutta.ralston()),
            new Entry("rk4", RungeKutta.rk4(), "rk4-classic"),
            new Entry("rk4-38", RungeKutta.rk4ThreeEighths(), "rk4-3-8", "rk438", "rk4-38rule", "rk4-three-eighths"),
            new Entry("bosh3", RungeKutta.bosh3()),
            new Entry("dopri5", RungeKutta.dopri5()),
            new Entry("dopri5-torchdiffeq", RungeKutta.dopri5Torchdiffeq()),
            new Entry("tsit5", RungeKutta.tsit5()),
            new Entry("dop853", RungeKutta.dop853()),
            new Entry("ab2", AdamsBashforth.of(2)),
            new Entry("ab3", AdamsBashforth.of(3)),
            new Entry("ab4", AdamsBashforth.of(4)),
            new Entry("leapfrog", Leapfrog.of()),
            new Entry("kvaerno5", Esdirk.kvaerno5()),
            new Entry("rodas5p", Rosenbrock.rodas5p()));

    private static final Map<String, Entry> BY_NAME = index();

    private Methods() {}

    private static Map<String, Entry> index() {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : BUILT_IN) {
            m.put(e.name(), e);
            for (String a : e.aliases()) m.put(a, e);
        }
        return Collections.unmodifiableMap(m);
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-').replace('/', '-');
    }

    /** The canonical names of every built-in method, in catalogue order (explicit Runge–Kutta first). */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Entry e : BUILT_IN) names.add(e.name());
        return Collections.unmodifiableList(names);
    }

    /** The canonical names of the built-in Runge–Kutta methods (those every gradient method accepts). */
    public static List<String> rungeKuttaNames() {
        List<String> names = new ArrayList<>();
        for (Entry e : BUILT_IN) if (e.method() instanceof RungeKutta) names.add(e.name());
        return Collections.unmodifiableList(names);
    }

    /**
     * The built-in method of that name or alias.
     *
     * @throws IllegalArgumentException naming the method and the known names, when there is none
     */
    public static OdeMethod byName(String name) {
        if (name == null) throw new IllegalArgumentException("method must be non-null");
        Entry e = BY_NAME.get(normalise(name));
        if (e == null) {
            throw new IllegalArgumentException("method must be one of " + String.join(", ", names()) + "; got " + name);
        }
        return e.method();
    }

    /**
     * The built-in Runge–Kutta method of that name or alias, for what needs a tableau (backprop through the solver,
     * the interpolating adjoint, dense output).
     *
     * @throws IllegalArgumentException when there is no such method, or when the method is not a Runge–Kutta method
     */
    public static RungeKutta rungeKutta(String name) {
        OdeMethod m = byName(name);
        if (m instanceof RungeKutta rk) return rk;
        throw new IllegalArgumentException("method must be a Runge–Kutta method (one of "
                + String.join(", ", rungeKuttaNames()) + "); got " + name + ", "
                + (m instanceof LinearMultistep ? "a linear multistep method" : "an implicit method"));
    }
}
