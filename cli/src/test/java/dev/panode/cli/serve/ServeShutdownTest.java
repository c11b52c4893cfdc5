package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shutting down (by the API or by SIGTERM) answers the requests in flight before the service stops. */
@Timeout(120)
class ServeShutdownTest {

    @Test
    void closeAnswersTheRequestInFlightThenRefusesConnections() throws Exception {
        PanodeServer s = PanodeServer.start(ServeFixtures.config().withWorkers(1, 4));
        int port = s.port();
        assertEquals(201, RawHttp.once(port, "POST", "/v1/models", ServeFixtures.loadRequest("m")).status());
        SlowRequest.awaitIdle(port); // the load's worker has given back its slot: busy below is the slow request
        try (RawHttp slow = new RawHttp(port)) {
            slow.send(RawHttp.head("POST", "/v1/solve", SlowRequest.BODY.length()), SlowRequest.bytes());
            SlowRequest.awaitBusy(port, 1);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
            RawHttp.Reply r = slow.read();
            assertEquals(200, r.status(), r.body());
            assertEquals("SUCCESSFUL", r.json().get("result").asText());
            closing.get(60, TimeUnit.SECONDS);
        }
        assertThrows(RuntimeException.class, () -> RawHttp.once(port, "GET", "/health", null));
    }

    @Test
    void sigtermAnswersTheRequestInFlightThenExits() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.panode.cli.Main", "serve", "--port", "0", "--workers", "1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // a watchdog: blocking reads of the child's output cannot outlive it
        CompletableFuture.delayedExecutor(90, TimeUnit.SECONDS).execute(p::destroyForcibly);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
            int port = -1;
            while (port < 0) {
                String line = out.readLine();
                if (line == null) break;
                Matcher m = listening.matcher(line);
                if (m.find()) port = Integer.parseInt(m.group(1));
            }
            assertTrue(port > 0, "the server printed its address");
            assertEquals(201, RawHttp.once(port, "POST", "/v1/models", ServeFixtures.loadRequest("m")).status());
            SlowRequest.awaitIdle(port); // the load's worker has given back its slot: busy below is the slow request
            try (RawHttp slow = new RawHttp(port)) {
                slow.send(RawHttp.head("POST", "/v1/solve", SlowRequest.BODY.length()), SlowRequest.bytes());
                SlowRequest.awaitBusy(port, 1);
                p.destroy(); // SIGTERM
                RawHttp.Reply r = slow.read();
                assertEquals(200, r.status(), r.body());
                assertEquals("SUCCESSFUL", r.json().get("result").asText());
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process exits after the request in flight");
        } finally {
            p.destroyForcibly();
        }
    }
}
