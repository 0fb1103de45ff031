package dev.intunelock.intune;

import static java.time.temporal.ChronoUnit.MILLIS;

import java.util.function.Supplier;

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
    private final GraphWriteBudget writes;

    GuardedGraph(@RestClient GraphApi graph, GraphWriteBudget writes) {
        this.graph = graph;
        this.writes = writes;
    }

    @Retry(maxRetries = 3, delay = 400, maxDuration = 12_000, jitter = 0)
    @CustomBackoff(GraphBackoff.class)
    @RetryWhen(exception = RetryPolicies.Transient.class)
    ManagedDeviceJson getManagedDevice(String authorization, String id) {
        return answered(() -> graph.getManagedDevice(authorization, id));
    }

    /**
     * The filter's first page of managed devices, or, given Graph's {@code nextLink}, the page it names: every page of
     * a list is one call with the same retries and breaker.
     */
    @Retry(maxRetries = 3, delay = 400, maxDuration = 12_000, jitter = 0)
    @CustomBackoff(GraphBackoff.class)
    @RetryWhen(exception = RetryPolicies.Transient.class)
    ManagedDeviceListJson listManagedDevices(String authorization, String filter, String nextLink) {
        return answered(() -> nextLink == null ? graph.listManagedDevices(authorization, filter)
                : graph.listManagedDevicesPage(authorization, nextLink));
    }

    /**
     * Each try takes a place in the shared {@link GraphWriteBudget} first (a spent budget is a 429 of our own: not
     * sent, retried after the wait, and not counted by the circuit breaker).
     */
    @Retry(maxRetries = 3, delay = 400, maxDuration = 12_000, jitter = 0)
    @CustomBackoff(GraphBackoff.class)
    @RetryWhen(exception = RetryPolicies.NotActedOn.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
            skipOn = { GraphRejectedException.class, GraphWriteBudgetSpent.class })
    void remoteLock(String authorization, String id, WritePriority priority) {
        writes.take(priority);
        answered(() -> {
            graph.remoteLock(authorization, id);
            return null;
        });
    }

    /** Graph's own errors pass through; anything else (no connection, a timeout) had no answer. */
    private static <T> T answered(Supplier<T> call) {
        try {
            return call.get();
        } catch (GraphException known) {
            throw known;
        } catch (RuntimeException noAnswer) {
            throw GraphErrors.noAnswer(noAnswer);
        }
    }
}
