package dev.intunelock.intune;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Intune, as the rest of the product sees it: devices and the remote-lock command. Every failure surfaces as a
 * {@link GraphException} carrying Graph's own error code and request id.
 */
@ApplicationScoped
public class Intune {

    private final GuardedGraph graph;
    private final GraphTokens tokens;
    private final GraphWriteBudget writes;

    Intune(GuardedGraph graph, GraphTokens tokens, GraphWriteBudget writes) {
        this.graph = graph;
        this.tokens = tokens;
        this.writes = writes;
    }

    public Optional<IntuneDevice> findDevice(String deviceId) {
        try {
            return Optional.of(translated(authorization -> graph.getManagedDevice(authorization, deviceId)).toDomain());
        } catch (GraphRejectedException rejected) {
            if (rejected.notFound()) {
                return Optional.empty();
            }
            throw rejected;
        }
    }

    /** The managed devices whose {@code property} equals {@code value} (an OData {@code $filter}). */
    public List<IntuneDevice> findDevicesWhere(DeviceProperty property, String value) {
        String literal = "'" + value.replace("'", "''") + "'";
        ManagedDeviceListJson page = translated(authorization -> graph.listManagedDevices(authorization,
                property.graphName() + " eq " + literal));
        return page.value() == null ? List.of() : page.value().stream().map(ManagedDeviceJson::toDomain).toList();
    }

    /**
     * Asks Intune to lock the device; returns once Graph has accepted the command (204). When Graph still throttles
     * after the call's own retries, its {@code Retry-After} is shared with every instance through the write budget
     * (here, outside the call's timeout: a slow store must not turn Graph's clear "not done" into a maybe).
     */
    public void remoteLock(String deviceId, WritePriority priority) {
        try {
            translated(authorization -> {
                graph.remoteLock(authorization, deviceId, priority);
                return null;
            });
        } catch (GraphUnavailableException unavailable) {
            GraphFailure failure = unavailable.failure();
            if (failure.httpStatus() == 429 && failure.retryAfterSeconds() != null) {
                writes.pauseFor(failure.retryAfterSeconds());
            }
            throw unavailable;
        }
    }

    /**
     * Makes one guarded call with the app's token. The token is had first, outside the call's timeout and retries: a
     * token that cannot be had (or is slow to come) means the call was never made, never that it may have been.
     */
    private <T> T translated(Function<String, T> call) {
        if (!GraphDeadline.allowsCall()) {
            throw GraphErrors.notStarted();
        }
        String authorization = tokens.authorization();
        try {
            return call.apply(authorization);
        } catch (GraphRejectedException rejected) {
            if (rejected.failure().httpStatus() == 401) {
                tokens.forget(); // revoked or expired early: the next call gets a new one
            }
            throw rejected;
        } catch (CircuitBreakerOpenException open) {
            throw GraphErrors.circuitOpen(open);
        } catch (TimeoutException timeout) {
            throw GraphErrors.timedOut(timeout);
        } catch (FaultToleranceException other) {
            throw GraphErrors.noAnswer(other);
        }
    }
}
