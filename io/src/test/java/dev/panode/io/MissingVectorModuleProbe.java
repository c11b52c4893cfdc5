package dev.panode.io;

import dev.panode.adjoint.gradients.Backprop;
import dev.panode.adjoint.models.Activation;
import dev.panode.adjoint.gradients.Gradients;
import dev.panode.adjoint.gradients.Loss;
import dev.panode.adjoint.models.Initialisation;
import dev.panode.adjoint.models.LinearField;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.solvers.RungeKutta;
import dev.panode.solvers.SolveOptions;
import dev.panode.solvers.Solver;

/**
 * Run by {@link MissingVectorModuleTest} in a JVM started without {@code --add-modules jdk.incubator.vector}: the first
 * use of each entry point named in the arguments, in order, printing one line each: what it threw as
 * {@code thrown=CLASS: MESSAGE}, or {@code ok}.
 */
public final class MissingVectorModuleProbe {
    private MissingVectorModuleProbe() {}

    public static void main(String[] args) {
        for (String entryPoint : args) System.out.println(firstUse(entryPoint));
    }

    private static String firstUse(String entryPoint) {
        double[] rotation = {0, 1, -1, 0};
        try {
            switch (entryPoint) {
                case "solve" -> Solver.solve(new LinearField(rotation, 2), new double[] {1, 0}, 1, 0, 1,
                        RungeKutta.dopri5(), SolveOptions.defaults());
                case "gradient" -> Gradients.compute(new LinearField(rotation, 2), new double[] {1, 0}, 1,
                        new double[] {0, 1}, Loss.sumOfSquaresAtEnd(), RungeKutta.dopri5(), SolveOptions.defaults(),
                        Backprop.storeAll());
                case "mlp" -> Mlp.initialised(MlpArchitecture.mlp3Tanh(2, 8), Initialisation.PYTORCH_DEFAULT, 1);
                case "activation" -> MlpArchitecture.of(2, 8, 2, Activation.SOFTPLUS);
                case "json" -> MlpJson.parse("{\"layers\": [{\"W\": [[1, 0], [0, 1]], \"b\": [0, 0]}]}");
                default -> throw new IllegalArgumentException("entry point " + entryPoint);
            }
            return "ok";
        } catch (Throwable t) {
            return "thrown=" + t.getClass().getName() + ": " + t.getMessage();
        }
    }
}
