package dev.panode.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panode.adjoint.models.Mlp;
import dev.panode.io.MlpJson;
import dev.panode.cli.GradientChoice;
import dev.panode.cli.InvalidFieldException;
import dev.panode.cli.JsonInterface;
import dev.panode.cli.Numerics;
import dev.panode.cli.ProblemFile;
import dev.panode.cli.SolverOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON of solve and gradient requests into problems, checking every field and every configured limit
 * before any work starts. Every failure is an {@link ApiError} naming the field as a path into the request
 * ({@code problems[2].z0[0][1]}).
 */
final class Requests {
    private static final Set<String> SOLVE_FIELDS = Set.of("model", "z0", "t", "method", "steps", "rtol", "atol",
            "max_steps");
    private static final Set<String> GRAD_FIELDS = Set.of("model", "z0", "t", "method", "steps", "rtol", "atol",
            "max_steps", "gradient", "loss");

    /** One checked problem: what to solve, how, within which step budget, and for gradients which method and loss. */
    record Problem(ProblemFile problem, SolverOptions solver, long maxSteps, GradientChoice gradient, String loss) {}

    private Requests() {}

    /** A single solve ({@code grad} false) or gradient request. */
    static Problem problem(JsonNode body, boolean grad, ModelRegistry models, ServeConfig config) {
        return problem(body, "", grad, models, config);
    }

    /** A batch request, {@code {"problems": [request, ...]}}; every problem is checked before any is solved. */
    static List<Problem> batch(JsonNode body, boolean grad, ModelRegistry models, ServeConfig config) {
        object(body, "body");
        onlyFields(body, "", "problems");
        JsonNode list = body.get("problems");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw invalid("problems", "problems must be a non-empty array of " + (grad ? "gradient" : "solve")
                    + " requests, got " + abbreviate(list));
        }
        if (list.size() > config.maxBatchProblems()) {
            throw new ApiError(ApiError.Kind.LIMIT_EXCEEDED, "problems", "problems may hold at most "
                    + config.maxBatchProblems() + " requests (--max-batch), got " + list.size());
        }
        List<Problem> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) out.add(problem(list.get(i), "problems[" + i + "].", grad, models, config));
        return out;
    }

    private static Problem problem(JsonNode node, String prefix, boolean grad, ModelRegistry models,
                                   ServeConfig config) {
        object(node, prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1));
        checkFields(node, prefix, grad ? GRAD_FIELDS : SOLVE_FIELDS);
        Mlp model = model(node.get("model"), prefix, models);
        checkSizes(node, prefix, model, config);
        ProblemFile p;
        try {
            p = ProblemFile.of(node, model);
        } catch (InvalidFieldException e) {
            throw invalid(prefix + e.field(), prefix + e.getMessage());
        }
        String method = text(node, prefix, "method", "dopri5");
        try {
            Numerics.method(method);
        } catch (IllegalArgumentException e) {
            throw invalid(prefix + "method", prefix + e.getMessage().replaceFirst("^--", ""));
        }
        Integer steps = node.hasNonNull("steps") ? (int) integer(node, prefix, "steps", config.maxSteps()) : null;
        double rtol = positive(node, prefix, "rtol", 1e-6);
        double atol = positive(node, prefix, "atol", 1e-8);
        long maxSteps = node.hasNonNull("max_steps") ? integer(node, prefix, "max_steps", config.maxSteps())
                : config.maxSteps();
        GradientChoice gradient = null;
        String loss = null;
        if (grad) {
            String g = text(node, prefix, "gradient", "backprop");
            try {
                gradient = GradientChoice.parse(g);
            } catch (IllegalArgumentException e) {
                throw invalid(prefix + "gradient", prefix + e.getMessage().replaceFirst("^--", ""));
            }
            loss = text(node, prefix, "loss", "final");
            try {
                JsonInterface.loss(loss);
            } catch (InvalidFieldException e) {
                throw invalid(prefix + "loss", prefix + e.getMessage());
            }
            if (!(p.t()[p.t().length - 1] > p.t()[0])) {
                throw invalid(prefix + "t", prefix + "t must be increasing for a gradient, got t[0] = " + p.t()[0]
                        + " and t[" + (p.t().length - 1) + "] = " + p.t()[p.t().length - 1]);
            }
        }
        return new Problem(p, new SolverOptions(method, steps, rtol, atol), maxSteps, gradient, loss);
    }

    /** The model: a loaded model's name, or panode model JSON inline. */
    private static Mlp model(JsonNode node, String prefix, ModelRegistry models) {
        String field = prefix + "model";
        if (node != null && node.isTextual()) return models.get(node.asText(), field);
        if (node != null && node.isObject()) {
            try {
                return MlpJson.fromJson(node);
            } catch (IllegalArgumentException e) {
                throw invalid(field, field + ": not a valid panode model: " + e.getMessage());
            }
        }
        throw invalid(field, field + " must be a loaded model's name or panode model JSON, got " + abbreviate(node));
    }

    /** The configured limits on rows × width, save points and output size, checked before the arrays are read. */
    private static void checkSizes(JsonNode node, String prefix, Mlp model, ServeConfig config) {
        JsonNode z0 = node.get("z0");
        JsonNode t = node.get("t");
        int rows = z0 != null && z0.isArray() ? z0.size() : 0;
        int width = model.architecture().maxWidth();
        int dim = model.dim();
        if ((long) rows * width > config.maxRowsTimesWidth()) {
            throw new ApiError(ApiError.Kind.LIMIT_EXCEEDED, prefix + "z0", prefix + "z0 has " + rows
                    + " rows; rows × widest layer = " + rows + " × " + width + " = " + (long) rows * width
                    + " exceeds the limit " + config.maxRowsTimesWidth() + " (--max-rows-width)");
        }
        int points = t != null && t.isArray() ? t.size() : 0;
        if (points > config.maxSavePoints()) {
            throw new ApiError(ApiError.Kind.LIMIT_EXCEEDED, prefix + "t", prefix + "t has " + points
                    + " save times, more than the limit " + config.maxSavePoints() + " (--max-save-points)");
        }
        long values = (long) points * rows * dim;
        if (values > config.maxOutputValues()) {
            throw new ApiError(ApiError.Kind.LIMIT_EXCEEDED, prefix + "t", prefix + "t × z0 would return " + points
                    + " × " + rows + " × " + dim + " = " + values + " numbers, more than the limit "
                    + config.maxOutputValues() + " (--max-output-values)");
        }
    }

    /** Rejects fields the request type does not know (a misspelt option would otherwise be silently ignored). */
    static void onlyFields(JsonNode node, String prefix, String... allowed) {
        checkFields(node, prefix, Set.of(allowed));
    }

    private static void checkFields(JsonNode node, String prefix, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw invalid(prefix + ModelRegistry.truncate(f), prefix + "unknown field \"" + ModelRegistry.truncate(f)
                        + "\"; the request takes " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static void object(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw invalid(what, what + " must be a JSON object, got " + abbreviate(node));
        }
    }

    private static String text(JsonNode node, String prefix, String field, String dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual()) throw invalid(prefix + field, prefix + field + " must be a string, got " + abbreviate(v));
        return v.asText();
    }

    /** A whole number in [1, limit]; above the limit a {@code LIMIT_EXCEEDED}. */
    private static long integer(JsonNode node, String prefix, String field, long limit) {
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
            throw invalid(prefix + field, prefix + field + " must be a whole number >= 1, got " + abbreviate(v));
        }
        if (v.asLong() > limit) {
            throw new ApiError(ApiError.Kind.LIMIT_EXCEEDED, prefix + field, prefix + field + " = " + v.asLong()
                    + " exceeds the step budget " + limit + " (--max-steps)");
        }
        return v.asLong();
    }

    private static double positive(JsonNode node, String prefix, String field, double dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return dflt;
        double d;
        try {
            d = ProblemFile.number(v, prefix + field);
        } catch (InvalidFieldException e) {
            throw invalid(e.field(), e.getMessage());
        }
        if (!(d > 0)) throw invalid(prefix + field, prefix + field + " must be > 0, got " + d);
        return d;
    }

    static ApiError invalid(String field, String message) {
        return new ApiError(ApiError.Kind.INVALID_FIELD, field, message);
    }

    /** A value for a message, cut to 80 characters (a request may hold megabytes). */
    static String abbreviate(JsonNode v) {
        return ModelRegistry.truncate(String.valueOf(v));
    }
}
