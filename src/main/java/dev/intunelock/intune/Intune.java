package dev.intunelock.intune;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
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
    private final GraphPaging paging;

    Intune(GuardedGraph graph, GraphTokens tokens, GraphWriteBudget writes,
            @ConfigProperty(name = "quarkus.rest-client.graph.url") String graphUrl) {
        this.graph = graph;
        this.tokens = tokens;
        this.writes = writes;
        this.paging = new GraphPaging(URI.create(graphUrl));
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

    /**
     * The managed devices whose {@code property} equals {@code value} (an OData {@code $filter}), read page by page
     * ({@link GraphPaging}): all of them when Intune lists at most {@code most}; otherwise more than {@code most} (the
     * pages read by then), and no further page is asked for. Each page is one guarded call; any page failing fails
     * the whole list.
     */
    public List<IntuneDevice> findDevicesWhere(DeviceProperty property, String value, int most) {
        String filter = property.graphName() + " eq '" + value.replace("'", "''") + "'";
        ManagedDeviceListJson page = translated(authorization -> graph.listManagedDevices(authorization, filter, null));
        List<IntuneDevice> devices = new ArrayList<>(page.devices());
        for (int pages = 1; page.nextLink() != null && devices.size() <= most; pages++) {
            String next = paging.next(page.nextLink(), pages);
            page = translated(authorization -> graph.listManagedDevices(authorization, filter, next));
            devices.addAll(page.devices());
        }
        return devices;
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
