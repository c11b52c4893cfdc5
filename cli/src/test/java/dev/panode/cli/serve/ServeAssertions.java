package dev.panode.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks of the JSON error format shared by the serve tests. */
final class ServeAssertions {
    private ServeAssertions() {}

    /** The reply is {@code {"error": {status, kind, field?, message}}} with no trace of the server's internals. */
    static JsonNode assertError(RawHttp.Reply r, int status, String kind, String field) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/json", r.headers().get("content-type"), r.body());
        JsonNode e = r.json().get("error");
        assertEquals(status, e.get("status").asInt(), r.body());
        assertEquals(kind, e.get("kind").asText(), r.body());
        if (field != null) assertEquals(field, e.path("field").asText(null), r.body());
        assertTrue(e.get("message").asText().length() > 10, r.body());
        assertNoTrace(r.body());
        return e;
    }

    static void assertNoTrace(String body) {
        for (String s : new String[] {"\tat ", "at dev.panode", "at java.", "Exception", "org.eclipse"}) {
            assertFalse(body.contains(s), "internal detail '" + s + "' in " + body);
        }
    }
}
