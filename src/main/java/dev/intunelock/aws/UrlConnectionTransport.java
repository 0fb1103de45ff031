package dev.intunelock.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The AWS clients' HTTP transport: the JDK's URL connection, as in the SDK's own URL-connection client, but sending
 * each request body buffered instead of in streaming mode. In streaming mode the JDK checks a kept-alive connection
 * before every POST by waiting 1 ms for a read to time out (and throwing): a millisecond and an exception on each
 * DynamoDB, KMS and Secrets Manager call. AWS request bodies are small JSON documents; buffering them costs nothing.
 */
final class UrlConnectionTransport implements SdkHttpClient {

    /** Headers the JDK sets itself (from the URL and the buffered body). */
    private static final Set<String> SET_BY_THE_JDK = Set.of("host", "content-length", "connection", "expect",
            "transfer-encoding");

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    UrlConnectionTransport(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            private volatile HttpURLConnection connection;

            @Override
            public HttpExecuteResponse call() throws IOException {
                connection = opened(request.httpRequest());
                if (request.contentStreamProvider().isPresent()) {
                    connection.setDoOutput(true);
                    try (InputStream content = request.contentStreamProvider().get().newStream();
                            OutputStream body = connection.getOutputStream()) {
                        content.transferTo(body);
                    }
                }
                int status = connection.getResponseCode();
                InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
                InputStream answer = body == null ? new ByteArrayInputStream(new byte[0]) : body;
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(status)
                                .statusText(connection.getResponseMessage()).headers(headers(connection)).build())
                        .responseBody(AbortableInputStream.create(answer, connection::disconnect))
                        .build();
            }

            @Override
            public void abort() {
                HttpURLConnection open = connection;
                if (open != null) {
                    open.disconnect();
                }
            }
        };
    }

    private HttpURLConnection opened(SdkHttpRequest request) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) request.getUri().toURL().openConnection(Proxy.NO_PROXY);
        connection.setConnectTimeout(connectTimeoutMillis);
        connection.setReadTimeout(readTimeoutMillis);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestMethod(request.method().name());
        request.forEachHeader((name, values) -> {
            if (!SET_BY_THE_JDK.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> connection.addRequestProperty(name, value));
            }
        });
        return connection;
    }

    private static Map<String, List<String>> headers(HttpURLConnection connection) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null) { // the status line
                headers.put(name, values);
            }
        });
        return headers;
    }

    @Override
    public String clientName() {
        return "UrlConnectionBuffered";
    }

    @Override
    public void close() {
        // kept-alive connections belong to the JDK's cache
    }
}
