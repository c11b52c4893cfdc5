import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A client of {@code panode serve} using only the JDK ({@code java.net.http}). Run it with the source launcher:
 * {@code java ServeClient.java [BASE_URL]} (default http://127.0.0.1:8080).
 *
 * <p>It loads a model, solves and differentiates over one HTTP/1.1 keep-alive connection and prints one JSON object
 * with the answers. A real client would map the JSON with its own library; here the bodies are plain strings.
 */
public class ServeClient {
    private final HttpClient http;
    private final URI base;

    ServeClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** POSTs a JSON body; returns {@code {"status": S, "body": BODY}} as JSON text. */
    String post(String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return "{\"status\": " + r.statusCode() + ", \"body\": " + r.body() + "}";
    }

    public static void main(String[] args) throws Exception {
        ServeClient c = new ServeClient(URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080"));
        // 2 -> 3 -> 2, tanh then identity; W is out x in (PyTorch's nn.Linear.weight)
        String model = """
                {"layers": [{"W": [[0.5, -0.25], [0.125, 0.75], [-0.5, 0.5]], "b": [0.1, 0.0, -0.1]},
                            {"W": [[0.25, -0.5, 0.75], [0.5, 0.25, -0.125]], "b": [0.0, 0.05]}],
                 "activations": ["tanh", "identity"]}""".replaceAll("\\s+", " ");
        String problem = "\"model\": \"tiny\", \"z0\": [[1.0, 0.0], [0.0, -0.5]], \"t\": [0.0, 0.5, 1.0]";
        String load = c.post("/v1/models", "{\"name\": \"tiny\", \"model\": " + model + "}");
        String solve = c.post("/v1/solve", "{" + problem + "}");
        String grad = c.post("/v1/grad", "{" + problem + ", \"gradient\": \"backprop\", \"loss\": \"final\"}");
        String bad = c.post("/v1/solve", "{" + problem.replace("[0.0, -0.5]", "[0.0]") + "}");
        System.out.println("{\"model\": " + model + ", \"load\": " + load + ", \"solve\": " + solve + ", \"grad\": "
                + grad + ", \"bad\": " + bad + "}");
    }
}
