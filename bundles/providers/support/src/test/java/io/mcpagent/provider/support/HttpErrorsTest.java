package io.mcpagent.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class HttpErrorsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anErrorBodyIsParsedWhenItIsJsonAndIsNullWhenNot() {
        assertEquals("overloaded", HttpErrors.json(json, "{\"error\":{\"type\":\"overloaded\"}}")
                .path("error").path("type").asText());
        assertTrue(HttpErrors.json(json, "[{\"error\":{}}]").isArray(), "Gemini's errors come as an array");
        assertNull(HttpErrors.json(json, null));
        assertNull(HttpErrors.json(json, "  "));
        assertNull(HttpErrors.json(json, "<html>502 Bad Gateway</html>"));
        assertNull(HttpErrors.json(json, "{\"error\":"));
    }

    /**
     * A gateway's HTML page (nginx's 502) went whole into the error message, markup and line breaks, and so into the
     * REST answer and log lines of several lines each; it reads by its title now, and any other text on one line.
     */
    @Test
    void anErrorBodyWithoutTheApisShapeIsReadOnOneLineAndAPageByItsTitle() {
        String nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad"
                + " Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";
        assertEquals("HTTP 502: an HTML page: 502 Bad Gateway", HttpErrors.statusAndBody(502, nginx, 500));
        assertEquals("an HTML page: Service Unavailable & maintenance", HttpErrors.bodyText("<!DOCTYPE html>\n"
                + "<html><head>\n<title>Service  Unavailable &amp;\n maintenance</title></head></html>", 500));
        assertEquals("an HTML page: Sorry, you have been blocked Cloudflare Ray ID: 8f", HttpErrors.bodyText(
                "<html><head><style>p{x:1}</style><script>var a = 1;</script></head><body><h1>Sorry, you have been"
                        + " blocked</h1>\n<p>Cloudflare Ray ID: 8f</p></body></html>", 500));
        assertEquals("upstream connect error or disconnect/reset before headers. reset reason: overflow",
                HttpErrors.bodyText("upstream connect error or disconnect/reset before headers.\n  reset reason:"
                        + " overflow\n", 500));
        assertEquals("abcde…", HttpErrors.bodyText("abcdefgh", 5));
        assertEquals("HTTP 503", HttpErrors.statusAndBody(503, " \n ", 500));
        assertEquals("", HttpErrors.bodyText(null, 500));
    }

    @Test
    void anObjectIsAskedForItIsNullForOtherJson() {
        assertEquals("x", HttpErrors.object(json, "{\"message\":\"x\"}").path("message").asText());
        assertNull(HttpErrors.object(json, "[1]"));
        assertNull(HttpErrors.object(json, "\"text\""));
        assertNull(HttpErrors.object(json, "not json"));
    }
}
