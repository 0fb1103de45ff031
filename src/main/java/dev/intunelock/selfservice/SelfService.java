package dev.intunelock.selfservice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;
import dev.intunelock.auth.Caller;
import dev.intunelock.intune.DeviceProperty;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.Intune;
import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.lock.LockService;
import dev.intunelock.lock.LockService.LockResult;
import dev.intunelock.pin.PinStatus;
import dev.intunelock.pin.PinSummary;
import dev.intunelock.problem.IntuneNotAnswering;
import dev.intunelock.selfservice.SelfServiceRejections.NotYourDevice;
import dev.intunelock.selfservice.SelfServiceRejections.TooManyDevices;
import dev.intunelock.selfservice.SelfServiceRejections.UnknownDevice;

/**
 * Lost-device self-service: an employee lists their own Intune devices and locks one of them. The ownership rule and
 * the per-user lock limit come first; the lock itself is the lock service's, with every rule and record of the API.
 */
@ApplicationScoped
public class SelfService {

    static final String SOURCE = "self-service";
    /** An employee's own devices the page lists; an account with more (an enrolment account) is the helpdesk's. */
    static final int MOST_LISTED = 1000;

    private static final Logger LOG = Logger.getLogger(SelfService.class);

    private final Intune intune;
    private final LockService locks;
    private final PerUserLockLimit lockLimit;
    private final AuditTrail audit;
    private final Clock clock;

    SelfService(Intune intune, LockService locks, PerUserLockLimit lockLimit, AuditTrail audit, Clock clock) {
        this.intune = intune;
        this.locks = locks;
        this.lockLimit = lockLimit;
        this.audit = audit;
        this.clock = clock;
    }

    /** The caller's own managed devices, by name. */
    public List<OwnDevice> devicesOf(Caller caller) {
        List<IntuneDevice> listed = askIntune(() -> intune.findDevicesWhere(DeviceProperty.USER_ID,
                caller.objectId(), MOST_LISTED));
        if (listed.size() > MOST_LISTED) {
            throw new TooManyDevices(MOST_LISTED);
        }
        return listed.stream()
                .filter(device -> OwnershipRule.owns(caller, device)) // Graph's $filter is not the rule: we check
                .map(device -> OwnDevice.of(device, latestLock(device.id())))
                .sorted(Comparator.comparing(OwnDevice::name, Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER)))
                .toList();
    }

    /** The device's latest lock of the last week, as the page shows it; a Mac's PIN while the guard holds. */
    private Optional<OwnDevice.LatestLock> latestLock(String deviceId) {
        Instant weekAgo = clock.instant().minus(Duration.ofDays(7));
        return locks.latestWithPin(deviceId)
                .filter(result -> result.lock().requestedAt().isAfter(weekAgo) || guarding(result.pin()))
                .map(result -> new OwnDevice.LatestLock(result.lock().status().name(), result.lock().requestedAt(),
                        result.lock().sentAt(), guarding(result.pin()) ? result.pin().expiresAt() : null));
    }

    private static boolean guarding(PinSummary pin) {
        return pin != null && (pin.status() == PinStatus.AWAITING || pin.status() == PinStatus.STORED);
    }

    public LockResult lock(SelfServiceLockRequest request, Caller caller) {
        lockLimit.take(caller);
        Optional<IntuneDevice> device = askIntune(() -> intune.findDevice(request.deviceId()));
        if (device.isEmpty()) {
            throw new UnknownDevice(request.deviceId());
        }
        if (!OwnershipRule.owns(caller, device.get())) {
            LOG.warnf("Self-service lock refused: device %s is not registered to %s", request.deviceId(),
                    caller.name());
            audit.record(AuditEvent.of(request.deviceId(), null, caller.name(), caller.objectId(),
                    AuditEvent.SELF_SERVICE, AuditEvent.SELF_SERVICE_LOCK, AuditEvent.REFUSED,
                    "the device is registered to another user", clock.instant()));
            throw new NotYourDevice(request.deviceId());
        }
        return locks.requestLock(request.toLockRequest(), null, SOURCE, caller);
    }

    private static <T> T askIntune(Supplier<T> call) {
        try {
            return call.get();
        } catch (GraphException failed) {
            throw new IntuneNotAnswering("Intune could not be asked about your devices, so nothing was changed. Try "
                    + "again shortly.", failed);
        }
    }
}
