package dev.intunelock.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What became of one alert of a delivery. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record AlertOutcome(String alertId, Result result, String deviceId, String lockId, String lockStatus,
        String reason, Integer count, String batchId) {

    public AlertOutcome(String alertId, Result result, String deviceId, String lockId, String lockStatus,
            String reason, Integer count) {
        this(alertId, result, deviceId, lockId, lockStatus, reason, count, null);
    }

    public enum Result {
        LOCKED("locked"),
        ALREADY_LOCKED("already-locked"),
        UNMATCHED("unmatched"),
        AMBIGUOUS("ambiguous"),
        IGNORED("ignored"),
        REFUSED("refused"),
        /** Recorded; the device is matched and locked by the retry sweep (no time was left in the delivery). */
        QUEUED("queued");

        private final String json;

        Result(String json) {
            this.json = json;
        }

        @JsonValue
        public String json() {
            return json;
        }
    }

    static AlertOutcome of(Alert alert, Result result, String reason) {
        return new AlertOutcome(alert.alertId(), result, null, null, null, reason, null);
    }

    AlertOutcome forDevice(String id) {
        return new AlertOutcome(alertId, result, id, lockId, lockStatus, reason, count, batchId);
    }

    /** The same outcome, showing where its lock stands now. */
    AlertOutcome withLockStatus(String status) {
        return new AlertOutcome(alertId, result, deviceId, lockId, status, reason, count, batchId);
    }
}
