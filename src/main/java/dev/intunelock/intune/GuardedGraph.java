package dev.intunelock.intune;

import static java.time.temporal.ChronoUnit.MILLIS;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;

/**
 * The Graph calls with their fault tolerance: a timeout per attempt, retries that honour {@code Retry-After},
 * and a circuit breaker per call so that a Graph outage fails fast instead of holding every caller for the
 * whole retry budget (MicroProfile Fault Tolerance keeps breaker state per method). Budgets are sized so that a
 * device read and the lock command together stay well inside the function's 29 s timeout, even when Graph is slow.
 * Retries are declared per call (SmallRye wants {@code @Retry} beside {@code @RetryWhen}), since which failures are
 * worth another attempt differs. Values are defaults, tunable with the MicroProfile Fault Tolerance config keys
 * ({@code dev.intunelock.intune.GuardedGraph/remoteLock/Retry/maxRetries=…}).
 */
@ApplicationScoped
@Timeout(value = GuardedGraph.ATTEMPT_TIMEOUT_MILLIS, unit = MILLIS)
@CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
        skipOn = GraphRejectedException.class)
class GuardedGraph {

    static final long ATTEMPT_TIMEOUT_MILLIS = 6000;

    private final GraphApi graph;
    private final GraphTokens tokens;

    GuardedGraph(@RestClient GraphApi graph, GraphTokens tokens) {
        this.graph = graph;
        this.tokens = tokens;
    }

    @Retry(maxRetries = 3, delay = 400, maxDuration = 12_000, jitter = 0)
    @CustomBackoff(GraphBackoff.class)
    @RetryWhen(exception = RetryPolicies.Transient.class)
    ManagedDeviceJson getManagedDevice(String id) {
        return answered(authorization -> graph.getManagedDevice(authorization, id));
    }

    @Retry(maxRetries = 3, delay = 400, maxDuration = 12_000, jitter = 0)
    @CustomBackoff(GraphBackoff.class)
    @RetryWhen(exception = RetryPolicies.Transient.class)
    ManagedDeviceListJson listManagedDevices(String filter) {
        return answered(authorization -> graph.listManagedDevices(authorization, filter));
    }

    @Retry(maxRetries = 3, delay = 400, maxDuration = 12_000, jitter = 0)
    @CustomBackoff(GraphBackoff.class)
    @RetryWhen(exception = RetryPolicies.NotActedOn.class)
    void remoteLock(String id) {
        answered(authorization -> {
            graph.remoteLock(authorization, id);
            return null;
        });
    }

    /**
     * Graph's own errors pass through (a 401 also drops the token); anything else (no connection, a timeout) had no
     * answer. Without a token the call is not made: {@link GraphTokens} says why.
     */
    private <T> T answered(Function<String, T> call) {
        String authorization = tokens.authorization();
        try {
            return call.apply(authorization);
        } catch (GraphException known) {
            if (known.failure().httpStatus() == 401) {
                tokens.forget();
            }
            throw known;
        } catch (RuntimeException noAnswer) {
            throw GraphErrors.noAnswer(noAnswer);
        }
    }
}
