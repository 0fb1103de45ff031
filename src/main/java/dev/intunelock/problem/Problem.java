package dev.intunelock.problem;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/** An RFC 9457 {@code application/problem+json} response: type, title, status, detail, plus named extensions. */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://intune-lock.dev/problems/";

    private final Map<String, Object> body = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final int status;

    private Problem(int status, String type, String title) {
        this.status = status;
        body.put("type", TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status);
    }

    public static Problem of(int status, String type, String title) {
        return new Problem(status, type, title);
    }

    public Problem detail(String detail) {
        body.put("detail", detail);
        return this;
    }

    public Problem with(String name, Object value) {
        if (value != null) {
            body.put(name, value);
        }
        return this;
    }

    public Problem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(body);
        headers.forEach(response::header);
        return response.build();
    }
}
