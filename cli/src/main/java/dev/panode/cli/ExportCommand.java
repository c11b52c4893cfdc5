package dev.panode.cli;

import dev.panode.adjoint.models.InputTransform;
import dev.panode.adjoint.models.Mlp;
import dev.panode.adjoint.models.MlpArchitecture;
import dev.panode.io.ArchitectureJson;
import dev.panode.io.MlpSafetensors;
import dev.panode.io.SequentialArchitecture;
import dev.panode.io.safetensors.Dtype;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panode export}: a panode model file to a safetensors state_dict that PyTorch's nn.Sequential loads. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Save a panode model (JSON, e.g. the model.json of panode demo) as a safetensors file with the state_dict"
                    + " names of the equivalent PyTorch nn.Sequential (0.weight [out, in], 0.bias, 2.weight, ...).",
            "The file's metadata holds {\"format\": \"pt\"} and the architecture JSON (key panode.architecture), so"
                    + " panode import reads it back without --arch. See docs/IMPORT.md."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "the panode model file (JSON)")
    Path model;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the .safetensors file to write")
    Path out;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "F64",
            description = "F64, F32, BF16 or F16 (default: ${DEFAULT-VALUE}); values are rounded to nearest, ties to even")
    String dtype = "F64";

    @Option(names = "--arch", paramLabel = "FILE",
            description = "an architecture JSON describing the same network, for its tensor names (prefix, module"
                    + " indices); default: Linear, activation, ..., Linear with no prefix")
    Path arch;

    @Option(names = "--arch-out", paramLabel = "FILE", description = "also write the architecture JSON here")
    Path archOut;

    @Override
    public Integer call() throws Exception {
        Mlp mlp = ProblemFile.readModel(model);
        // an invalid file or value (IllegalArgumentException) is one line, exit code 2: see Main.reportFailure
        Dtype type = Dtype.floatingPoint(dtype);
        SequentialArchitecture a = arch == null ? SequentialArchitecture.of(mlp.architecture()) : ArchitectureJson.read(arch);
        MlpSafetensors.save(mlp, a, out, type);
        if (archOut != null) ArchitectureJson.write(a, archOut);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("%s -> %s (%s): %s, %d parameters%n", model, out, dtype.toUpperCase(Locale.ROOT), describe(mlp),
                mlp.parameterCount());
        stdout.flush();
        return 0;
    }

    /** {@code MLP 2->50->2 (tanh, identity), input cube}. */
    static String describe(Mlp mlp) {
        MlpArchitecture a = mlp.architecture();
        StringBuilder sb = new StringBuilder("MLP ").append(a.inputs(0));
        for (int w : a.widths()) sb.append("->").append(w);
        sb.append(" (");
        for (int l = 0; l < a.layerCount(); l++) {
            sb.append(l == 0 ? "" : ", ").append(a.activations().get(l).name().toLowerCase(Locale.ROOT));
        }
        sb.append(")");
        if (a.timeInput()) sb.append(", time input");
        if (a.inputTransform() != InputTransform.NONE) {
            sb.append(", input ").append(a.inputTransform().name().toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
