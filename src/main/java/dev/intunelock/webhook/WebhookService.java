package dev.intunelock.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.intunelock.auth.Caller;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.Intune;
import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.LockInFlight;
import dev.intunelock.lock.LockRejections.MacPinOutstanding;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import dev.intunelock.lock.LockRequest;
import dev.intunelock.lock.LockService;
import dev.intunelock.lock.LockService.LockResult;
import dev.intunelock.webhook.AlertOutcome.Result;
import dev.intunelock.webhook.WebhookRejections.SenderNotAuthenticated;
import dev.intunelock.webhook.WebhookRejections.UnknownSource;

/**
 * Alerting webhooks: proves the sender, reads its alerts, and locks the device each firing alert names, once per
 * alert however often it is redelivered, and once per device within a delivery.
 */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    private static final int MAX_REASON = 1000;

    private final WebhookSources sources;
    private final DeliveryStore deliveries;
    private final LockService locks;
    private final Intune intune;
    private final ObjectMapper json;
    private final Clock clock;

    WebhookService(WebhookSources sources, DeliveryStore deliveries, LockService locks, Intune intune,
            ObjectMapper json, Clock clock) {
        this.sources = sources;
        this.deliveries = deliveries;
        this.locks = locks;
        this.intune = intune;
        this.json = json;
        this.clock = clock;
    }

    /** {@code headers} has lower-case names. */
    public List<AlertOutcome> deliver(String sourceName, Map<String, String> headers, byte[] body) {
        WebhookSource source = sources.named(sourceName).orElseThrow(UnknownSource::new);
        if (!SenderProof.authentic(source, headers, body, clock.instant())) {
            LOG.warnf("Webhook delivery to %s refused: sender not authenticated", sourceName);
            throw new SenderNotAuthenticated();
        }
        List<Alert> alerts = AlertPayloads.read(source, parse(body));
        Map<String, String> lockedNow = new HashMap<>();
        List<AlertOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            Alert alert = alerts.get(i);
            outcomes.add(i < AlertPayloads.MAX_ALERTS ? outcome(source, alert, lockedNow)
                    : AlertOutcome.of(alert, Result.REFUSED,
                            "More than " + AlertPayloads.MAX_ALERTS + " alerts in one delivery."));
        }
        return outcomes;
    }

    private AlertOutcome outcome(WebhookSource source, Alert alert, Map<String, String> lockedNow) {
        Optional<AlertOutcome> earlier = deliveries.find(source.name(), alert.deliveryKey());
        if (earlier.isPresent()) {
            return earlier.get();
        }
        AlertOutcome decided;
        try {
            decided = decide(source, alert, lockedNow);
        } catch (GraphException unavailable) {
            // Not remembered: a redelivery tries again.
            return AlertOutcome.of(alert, Result.REFUSED, "Intune could not be reached ("
                    + unavailable.failure().code() + "); redeliver later.");
        }
        return deliveries.remember(source.name(), alert.deliveryKey(), decided, clock.instant());
    }

    private AlertOutcome decide(WebhookSource source, Alert alert, Map<String, String> lockedNow) {
        if (!alert.firing()) {
            return AlertOutcome.of(alert, Result.IGNORED, "Only firing alerts lock; this one is not firing.");
        }
        if (source.minimumSeverity().isPresent()) {
            Optional<Severity> severity = Severity.named(alert.severity());
            if (severity.isEmpty() || severity.get().compareTo(source.minimumSeverity().get()) < 0) {
                return AlertOutcome.of(alert, Result.IGNORED, "Severity '" + alert.severity()
                        + "' is below this source's minimum, " + source.minimumSeverity().get() + ".");
            }
        }
        if (alert.device() == null) {
            return AlertOutcome.of(alert, Result.UNMATCHED, "The alert names no device.");
        }
        DeviceMatch match = DeviceMatch.of(alert.device(), intune);
        if (match.candidates() == 0) {
            return AlertOutcome.of(alert, Result.UNMATCHED, "No Intune device has " + describe(alert.device()) + ".");
        }
        if (!match.unique()) {
            return new AlertOutcome(alert.alertId(), Result.AMBIGUOUS, null, null, null, match.candidates()
                    + " Intune devices have " + describe(alert.device()) + "; none was locked.", match.candidates());
        }
        String deviceId = match.deviceId();
        if (lockedNow.containsKey(deviceId)) {
            return new AlertOutcome(alert.alertId(), Result.ALREADY_LOCKED, deviceId, lockedNow.get(deviceId), null,
                    "Another alert of this delivery already locked the device.", null);
        }
        AlertOutcome locked = lock(source, alert, deviceId);
        if (locked.lockId() != null) {
            lockedNow.put(deviceId, locked.lockId());
        }
        return locked;
    }

    private AlertOutcome lock(WebhookSource source, Alert alert, String deviceId) {
        String reason = truncate("Alert " + alert.alertId() + " from " + source.name()
                + (alert.summary() == null ? "" : ": " + alert.summary()));
        Caller sender = new Caller(source.lockSource(), Set.of());
        try {
            LockResult result = locks.requestLock(LockRequest.validated(new LockRequest(deviceId, reason, false),
                    null), idempotencyKey(source, alert), source.lockSource(), sender);
            return new AlertOutcome(alert.alertId(), Result.LOCKED, deviceId, result.lock().lockId(),
                    result.lock().status().name(), null, null);
        } catch (LockInFlight inFlight) {
            return new AlertOutcome(alert.alertId(), Result.ALREADY_LOCKED, deviceId, inFlight.lockId(), null,
                    "A lock for this device is already in flight.", null);
        } catch (MacPinOutstanding outstanding) {
            return new AlertOutcome(alert.alertId(), Result.ALREADY_LOCKED, deviceId, outstanding.lock().lockId(),
                    null, "This Mac is locked and its recovery PIN has not been used yet.", null);
        } catch (PlatformNotLockable refused) {
            return new AlertOutcome(alert.alertId(), Result.REFUSED, deviceId, null, null, refused.getMessage(),
                    null);
        } catch (DeviceNotFound gone) {
            return AlertOutcome.of(alert, Result.UNMATCHED, "Intune has no managed device " + deviceId + ".");
        }
    }

    /** The same alert, redelivered while the first delivery is still running, maps to the same lock. */
    private static String idempotencyKey(WebhookSource source, Alert alert) {
        try {
            return "webhook-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((source.name() + "\n" + alert.deliveryKey()).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Alert.DeviceRef ref) {
        String kind = switch (ref.kind()) {
            case INTUNE_DEVICE_ID -> "Intune device id";
            case AZURE_AD_DEVICE_ID -> "Entra device id";
            case SERIAL_NUMBER -> "serial number";
            case DEVICE_NAME -> "device name";
        };
        return kind + " '" + ref.value() + "'";
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException unreadable) {
            throw new UnreadablePayload("The payload is not valid JSON.");
        }
    }

    private static String truncate(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }
}
