package dev.panode.cli;

import dev.panode.adjoint.models.Mlp;
import dev.panode.io.MlpJson;
import dev.panode.io.ArchitectureJson;
import dev.panode.io.MlpSafetensors;
import dev.panode.io.SequentialArchitecture;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code panode import}: a PyTorch {@code nn.Sequential} state_dict in a safetensors file to a panode model file. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Turn a PyTorch nn.Sequential state_dict saved as safetensors (0.weight [out, in], 0.bias, 2.weight, ...)"
                    + " into a panode model file (JSON), checking every tensor's name and shape against the architecture.",
            "",
            "Architecture JSON: {\"layers\": [{\"linear\": [2, 50]}, \"tanh\", {\"linear\": [50, 2]}],"
                    + " \"input_transform\": \"cube\", \"time_input\": false, \"prefix\": \"net.\"}"
                    + " (the last three optional). See docs/IMPORT.md."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--weights", paramLabel = "FILE", required = true, description = "the .safetensors file")
    Path weights;

    @Option(names = "--arch", paramLabel = "FILE",
            description = "the architecture JSON (default: the one a file saved by panode export holds)")
    Path arch;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the panode model file to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        // an invalid file or value (IllegalArgumentException) is one line, exit code 2: see Main.reportFailure
        SequentialArchitecture a = arch == null ? null : ArchitectureJson.read(arch);
        Mlp mlp = MlpSafetensors.load(weights, a);
        MlpJson.write(mlp, out);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("%s -> %s: %s, %d parameters%n", weights, out, ExportCommand.describe(mlp), mlp.parameterCount());
        stdout.flush();
        return 0;
    }
}
