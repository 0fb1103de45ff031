package dev.intunelock.intune;

import java.time.Instant;
import java.util.List;

/** A managed device as Intune reports it, reduced to what this product uses. */
public record IntuneDevice(
        String id,
        String deviceName,
        String deviceType,
        String operatingSystem,
        String userPrincipalName,
        String userId,
        String serialNumber,
        String azureADDeviceId,
        String model,
        Instant lastSyncAt,
        List<DeviceActionResult> actionResults) {
}
