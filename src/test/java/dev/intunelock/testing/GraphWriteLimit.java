package dev.intunelock.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Intune's write limit in the Graph stand-in: a stub that names this transformer accepts at most {@code limit}
 * requests in any {@code windowMillis} (all such stubs together, as Intune counts per app and tenant) and answers
 * the rest with Graph's 429 {@code TooManyRequests} and a {@code Retry-After} until a place frees up.
 */
public final class GraphWriteLimit implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "graph-write-limit";

    private final Deque<Long> accepted = new ArrayDeque<>();
    private int throttled;

    /** Parameters for a stub: {@code limit} writes in any {@code windowMillis}. */
    public static Parameters of(int limit, long windowMillis) {
        return Parameters.from(java.util.Map.of("limit", limit, "windowMillis", windowMillis));
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Parameters parameters = serveEvent.getTransformerParameters();
        int limit = parameters.getInt("limit");
        long window = ((Number) parameters.get("windowMillis")).longValue();
        long now = System.currentTimeMillis();
        long retryAfterSeconds;
        synchronized (this) {
            while (!accepted.isEmpty() && accepted.peekFirst() <= now - window) {
                accepted.removeFirst();
            }
            if (accepted.size() < limit) {
                accepted.addLast(now);
                return serveEvent.getResponseDefinition();
            }
            throttled++;
            retryAfterSeconds = Math.max(1, (accepted.peekFirst() + window - now + 999) / 1000);
        }
        return GraphStubs.graphError(429, "TooManyRequests", "Too many requests. Retry after " + retryAfterSeconds
                + " seconds.", UUID.randomUUID().toString())
                .withHeader("Retry-After", Long.toString(retryAfterSeconds)).build();
    }

    /** How many requests were answered 429 since the last {@link #reset()}. */
    public synchronized int throttled() {
        return throttled;
    }

    public synchronized void reset() {
        accepted.clear();
        throttled = 0;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
