package dev.panode.io;

import dev.panode.blas.Arguments;
import dev.panode.io.SequentialArchitecture.ParameterTensor;
import dev.panode.io.safetensors.Dtype;
import dev.panode.io.safetensors.SafetensorsFile;
import dev.panode.io.safetensors.SafetensorsWriter;
import dev.panode.io.safetensors.TensorInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps the state_dict of a PyTorch {@code torch.nn.Sequential} onto a flat parameter vector and back, following a
 * {@link SequentialArchitecture}: tensor {@code prefix + k + ".weight"} ({@code [out, in]}) and
 * {@code prefix + k + ".bias"} ({@code [out]}) of linear module k go, row-major, to the offsets of
 * {@link SequentialArchitecture#parameterTensors()}.
 *
 * <p>Loading is strict, like torch's {@code load_state_dict(strict=True)}: a missing tensor, an unexpected one, a
 * wrong shape or a non-finite value is an error naming the tensor. The mapping knows nothing of the model class, so the
 * same vector serves an {@link dev.panode.adjoint.models.Mlp} or any composition with that layout. Costs one pass over the
 * tensors.
 */
public final class SequentialStateDict {
    private SequentialStateDict() {}

    /**
     * The flat parameter vector of {@code arch} read from {@code file} (every value converted exactly to double).
     *
     * @param file   the open state_dict file
     * @param arch   the architecture that names and places the tensors
     * @param source the file's name for messages
     * @return a new vector of {@code arch.parameterCount()} values
     *
     * @throws IllegalArgumentException naming the file and tensor when a tensor is missing, unexpected, of the wrong
     *                                  shape or dtype, or holds a NaN or infinity
     */
    public static double[] read(SafetensorsFile file, SequentialArchitecture arch, String source) {
        Arguments.nonNull(file, "file");
        Arguments.nonNull(arch, "arch");
        List<ParameterTensor> expected = arch.parameterTensors();
        Set<String> names = new HashSet<>();
        for (ParameterTensor p : expected) names.add(p.name());
        List<String> unexpected = new ArrayList<>();
        for (TensorInfo t : file.tensors()) {
            if (!names.contains(t.name())) unexpected.add("\"" + t.name() + "\"");
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException(source + ": unexpected tensor" + (unexpected.size() > 1 ? "s " : " ")
                    + String.join(", ", unexpected) + " (not in the architecture, whose tensors are "
                    + String.join(", ", names(expected)) + ")");
        }
        double[] theta = new double[arch.parameterCount()];
        for (ParameterTensor p : expected) {
            TensorInfo t = file.tensor(p.name());
            String layer = "layers[" + p.layer() + "], " + SequentialArchitecture.describe(arch.layers().get(p.layer()));
            if (t == null) {
                throw new IllegalArgumentException(source + ": missing tensor \"" + p.name() + "\" of shape "
                        + p.shape() + " (" + layer + ")");
            }
            if (!t.shape().equals(longs(p.shape()))) {
                throw new IllegalArgumentException(source + ": tensor \"" + p.name() + "\" has shape " + t.shape()
                        + ", expected " + p.shape() + " (" + layer + "; torch stores Linear.weight as [out, in])");
            }
            file.read(p.name(), theta, p.offset());
            for (int i = 0; i < p.size(); i++) {
                double v = theta[p.offset() + i];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(source + ": tensor \"" + p.name() + "\" element " + i
                            + " must be finite, got " + v);
                }
            }
        }
        return theta;
    }

    /**
     * A writer holding the state_dict of {@code arch} with values {@code theta} in {@code dtype} (not yet written; add
     * metadata, then {@link SafetensorsWriter#write}).
     *
     * @throws IllegalArgumentException when {@code theta.length} is not the architecture's parameter count
     */
    public static SafetensorsWriter writer(SequentialArchitecture arch, double[] theta, Dtype dtype) {
        Arguments.nonNull(arch, "arch");
        Arguments.nonNull(theta, "theta");
        Arguments.nonNull(dtype, "dtype");
        if (theta.length != arch.parameterCount()) {
            throw new IllegalArgumentException("theta.length must be " + arch.parameterCount() + " for the architecture, got "
                    + theta.length);
        }
        SafetensorsWriter writer = new SafetensorsWriter();
        for (ParameterTensor p : arch.parameterTensors()) {
            double[] values = java.util.Arrays.copyOfRange(theta, p.offset(), p.offset() + p.size());
            long[] shape = p.shape().stream().mapToLong(Integer::longValue).toArray();
            writer.add(p.name(), dtype, shape, values);
        }
        return writer;
    }

    private static List<String> names(List<ParameterTensor> tensors) {
        List<String> out = new ArrayList<>();
        for (ParameterTensor p : tensors) out.add(p.name());
        return out;
    }

    private static List<Long> longs(List<Integer> ints) {
        List<Long> out = new ArrayList<>(ints.size());
        for (int i : ints) out.add((long) i);
        return out;
    }
}
