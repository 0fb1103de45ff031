package dev.intunelock.batch;

import java.time.Instant;

import dev.intunelock.lock.Platform;

/**
 * One device of a batch: named by Intune id or by serial number (then its {@code deviceId} once Intune has
 * matched it), where it stands, its lock if it has one, and why it was refused or skipped ({@code code} and
 * {@code message}). {@code settledAt} is when its part of the batch ended.
 */
record BatchDevice(String batchId, String deviceId, String serialNumber, String deviceName, Platform platform,
        DeviceState state, String lockId, String lockStatus, String code, String message, Instant updatedAt,
        Instant settledAt) {

    static final String BY_ID = "DEVICE#";
    static final String BY_SERIAL = "SERIAL#";

    /** The device of a batch whose entry has {@code key}, not worked on yet. */
    static BatchDevice queued(String batchId, String key, Instant now) {
        return key.startsWith(BY_SERIAL) ? queued(batchId, null, key.substring(BY_SERIAL.length()), now)
                : queued(batchId, key.substring(BY_ID.length()), null, now);
    }

    static BatchDevice queued(String batchId, String deviceId, String serialNumber, Instant now) {
        return new BatchDevice(batchId, deviceId, serialNumber, null, null, DeviceState.QUEUED, null, null, null,
                null, now, null);
    }

    /** The entry's key within its batch: the Intune id it was named by, or the serial number. */
    String key() {
        return serialNumber != null ? BY_SERIAL + serialNumber : BY_ID + deviceId;
    }

    BatchDevice matched(String id) {
        return new BatchDevice(batchId, id, serialNumber, deviceName, platform, state, lockId, lockStatus, code,
                message, updatedAt, settledAt);
    }

    BatchDevice described(String name, Platform devicePlatform) {
        return new BatchDevice(batchId, deviceId, serialNumber, name, devicePlatform, state, lockId, lockStatus, code,
                message, updatedAt, settledAt);
    }

    BatchDevice now(DeviceState newState, String newLockId, String newLockStatus, String newCode, String newMessage,
            Instant at) {
        return new BatchDevice(batchId, deviceId, serialNumber, deviceName, platform, newState, newLockId,
                newLockStatus, newCode, newMessage, at, newState.settled() ? at : null);
    }
}
