package io.mcpagent.http.internal;

import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Calls a servlet with mocked requests and records what it answered. */
final class ServletCalls {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the servlet answered; the body is null when it wrote none. */
    record Answer(int status, Map<String, String> headers, JsonNode body) {
        String error() {
            return body.path("error").asText();
        }

        String message() {
            return body.path("message").asText();
        }
    }

    private ServletCalls() {
    }

    /**
     * One request. {@code query} is {@code a=1&b=2} (URL-encoded) or null; a non-null {@code body} is sent with its
     * Content-Length unless the headers say {@code Transfer-Encoding}; a null one as an undeclared empty body.
     */
    static Answer call(ApiServlet servlet, String method, String path, String query, Map<String, String> headers,
                       String body) throws Exception {
        return answer(raw(servlet, method, path, query, headers, body));
    }

    /** A request without query or body from the peer {@code remoteAddress}, as the container gives it. */
    static Answer callFrom(String remoteAddress, ApiServlet servlet, String method, String path,
                           Map<String, String> headers) throws Exception {
        return answer(raw(remoteAddress, servlet, method, path, null, headers, null));
    }

    private static Answer answer(Raw raw) throws Exception {
        return new Answer(raw.status(), raw.headers(), raw.text().isEmpty() ? null : JSON.readTree(raw.text()));
    }

    /** What the servlet answered, as text (event streams). */
    record Raw(int status, Map<String, String> headers, String contentType, String text) {
    }

    static Raw raw(ApiServlet servlet, String method, String path, String query, Map<String, String> headers,
                   String body) throws Exception {
        return raw(null, servlet, method, path, query, headers, body);
    }

    private static Raw raw(String remoteAddress, ApiServlet servlet, String method, String path, String query,
                           Map<String, String> headers, String body) throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getRemoteAddr()).thenReturn(remoteAddress);
        when(request.getMethod()).thenReturn(method);
        when(request.getPathInfo()).thenReturn(path);
        when(request.getRequestURI()).thenReturn("/api/v1" + path);
        if (query != null) {
            // as a servlet container reads it: every value in the map, the first one from getParameter
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (String pair : query.split("&")) {
                String[] nameAndValue = pair.split("=", 2);
                values.computeIfAbsent(nameAndValue[0], name -> new ArrayList<>())
                        .add(URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8));
            }
            Map<String, String[]> parameters = new LinkedHashMap<>();
            values.forEach((name, given) -> {
                when(request.getParameter(name)).thenReturn(given.get(0));
                parameters.put(name, given.toArray(String[]::new));
            });
            when(request.getParameterMap()).thenReturn(parameters);
        }
        headers.forEach((name, value) -> {
            when(request.getHeader(name)).thenReturn(value);
            when(request.getHeaders(name)).thenAnswer(call -> Collections.enumeration(List.of(value)));
        });
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        when(request.getInputStream()).thenReturn(new BytesInputStream(bytes));
        long length = body == null || headers.containsKey("Transfer-Encoding") ? -1 : bytes.length;
        when(request.getContentLengthLong()).thenReturn(Long.parseLong(headers.getOrDefault("Content-Length",
                Long.toString(length))));

        HttpServletResponse response = mock(HttpServletResponse.class);
        int[] status = {0};
        Map<String, String> responseHeaders = new HashMap<>();
        StringWriter written = new StringWriter();
        doAnswer(call -> status[0] = call.getArgument(0)).when(response).setStatus(anyInt());
        doAnswer(call -> responseHeaders.put(call.getArgument(0), call.getArgument(1))).when(response)
                .setHeader(anyString(), anyString());
        String[] contentType = {null};
        doAnswer(call -> contentType[0] = call.getArgument(0)).when(response).setContentType(anyString());
        when(response.getWriter()).thenReturn(new PrintWriter(written));
        servlet.service(request, response);
        return new Raw(status[0], responseHeaders, contentType[0], written.toString());
    }

    static HttpConfig config(long maxRequestBytes) {
        return config(maxRequestBytes, true);
    }

    static HttpConfig config(long maxRequestBytes, boolean metricsRequireKey) {
        return config(Map.of("maxRequestBytes", maxRequestBytes, "metricsRequireKey", metricsRequireKey));
    }

    /** The configuration with {@code values} by property name and every other property at its default. */
    static HttpConfig config(Map<String, Object> values) {
        return (HttpConfig) Proxy.newProxyInstance(HttpConfig.class.getClassLoader(), new Class<?>[] {HttpConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> HttpConfig.class;
                    case "toString" -> "HttpConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    /** The API servlet as DS makes it: keys, the caller check and rate limits from {@code config}. */
    /** The context of a framework holding only these bundles, by symbolic name, in these states ({@link Bundle#ACTIVE}...). */
    static BundleContext framework(Map<String, Integer> stateBySymbolicName) {
        List<Bundle> bundles = new ArrayList<>();
        stateBySymbolicName.forEach((symbolicName, state) -> {
            Bundle bundle = mock(Bundle.class);
            when(bundle.getSymbolicName()).thenReturn(symbolicName);
            when(bundle.getState()).thenReturn(state);
            bundles.add(bundle);
        });
        BundleContext context = mock(BundleContext.class);
        when(context.getBundles()).thenReturn(bundles.toArray(Bundle[]::new));
        return context;
    }

    static ApiServlet apiServlet(BundleContext context, KeyService keys, HttpConfig config) {
        return apiServlet(context, keys, config, new AuthenticationThrottle(config));
    }

    /** The API servlet counting failed authentications in {@code failures}. */
    static ApiServlet apiServlet(BundleContext context, KeyService keys, HttpConfig config,
                                 AuthenticationThrottle failures) {
        return apiServlet(context, new StoredApiKeys(keys), keys, config, failures);
    }

    /** The API servlet as DS makes it, managing keys through {@code stored} (the key store over {@code keys}). */
    static ApiServlet apiServlet(BundleContext context, StoredApiKeys stored, KeyService keys, HttpConfig config) {
        return apiServlet(context, stored, keys, config, new AuthenticationThrottle(config));
    }

    private static ApiServlet apiServlet(BundleContext context, StoredApiKeys stored, KeyService keys,
                                         HttpConfig config, AuthenticationThrottle failures) {
        return new ApiServlet(context, stored, new CallerAuthenticator(keys, config), new RequestLimits(config),
                new Readiness(context, keys), failures);
    }

    /** Registers in {@code context} every service {@link Readiness} checks, each one obtainable. */
    static void registerReadinessServices(BundleContext context) {
        for (Readiness.Check check : Readiness.CHECKS) {
            ServiceReference<?> reference = mock(ServiceReference.class);
            when(context.getServiceReference(check.service())).thenAnswer(call -> reference);
            doReturn(mock(check.service())).when(context).getService(reference);
        }
    }

    static MetricsServlet metricsServlet(PlatformMetrics events, ServiceMetrics services, KeyService keys,
                                         HttpConfig config) {
        return metricsServlet(events, services, keys, config, new AuthenticationThrottle(config));
    }

    /** With {@code failures}, which audits the servlet's refusals when given an audit log. */
    static MetricsServlet metricsServlet(PlatformMetrics events, ServiceMetrics services, KeyService keys,
                                         HttpConfig config, AuthenticationThrottle failures) {
        return new MetricsServlet(events, services, new CallerAuthenticator(keys, config), new RequestLimits(config),
                failures, config);
    }

    /** A request body for servlet fakes: blocking reads of the given bytes. */
    static final class BytesInputStream extends ServletInputStream {
        private final ByteArrayInputStream in;

        BytesInputStream(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("blocking reads only");
        }
    }

    /** A response body for servlet fakes: blocking writes into the given buffer. */
    static final class BytesOutputStream extends ServletOutputStream {
        private final ByteArrayOutputStream out;

        BytesOutputStream(ByteArrayOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException("blocking writes only");
        }
    }
}
