package dev.intunelock.intune;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

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

    Intune(GuardedGraph graph) {
        this.graph = graph;
    }

    public Optional<IntuneDevice> findDevice(String deviceId) {
        try {
            return Optional.of(translated(() -> graph.getManagedDevice(deviceId)).toDomain());
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
        ManagedDeviceListJson page = translated(() -> graph.listManagedDevices(property.graphName() + " eq " + literal));
        return page.value() == null ? List.of() : page.value().stream().map(ManagedDeviceJson::toDomain).toList();
    }

    /** Asks Intune to lock the device; returns once Graph has accepted the command (204). */
    public void remoteLock(String deviceId) {
        translated(() -> {
            graph.remoteLock(deviceId);
            return null;
        });
    }

    private static <T> T translated(Supplier<T> call) {
        if (!GraphDeadline.allowsCall()) {
            throw GraphErrors.notStarted();
        }
        try {
            return call.get();
        } catch (CircuitBreakerOpenException open) {
            throw GraphErrors.circuitOpen(open);
        } catch (TimeoutException timeout) {
            throw GraphErrors.timedOut(timeout);
        } catch (FaultToleranceException other) {
            throw GraphErrors.noAnswer(other);
        }
    }
}
