package dev.intunelock.intune;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Graph's {@code managedDevice}, only the properties this product reads. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
record ManagedDeviceJson(
        String id,
        String deviceName,
        String deviceType,
        String operatingSystem,
        String userPrincipalName,
        String userId,
        String serialNumber,
        String azureADDeviceId,
        String model,
        OffsetDateTime lastSyncDateTime,
        List<DeviceActionResultJson> deviceActionResults) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DeviceActionResultJson(
            String actionName,
            String actionState,
            OffsetDateTime startDateTime,
            OffsetDateTime lastUpdatedDateTime,
            String unlockPin) {

        DeviceActionResult toDomain() {
            return new DeviceActionResult(actionName, actionState, instant(startDateTime),
                    instant(lastUpdatedDateTime), unlockPin);
        }

        @Override
        public String toString() {
            return toDomain().toString(); // never the PIN
        }
    }

    IntuneDevice toDomain() {
        List<DeviceActionResult> actions = deviceActionResults == null ? List.of()
                : deviceActionResults.stream().map(DeviceActionResultJson::toDomain).toList();
        return new IntuneDevice(id, deviceName, deviceType, operatingSystem, userPrincipalName, userId, serialNumber,
                azureADDeviceId, model, instant(lastSyncDateTime), actions);
    }

    private static java.time.Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
