package dev.intunelock.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.intunelock.lock.Platform;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A batch as the API shows it: counts by state, each device with its lock or why it was refused or skipped,
 * started and finished times, and the time left at the Graph write budget's pace.
 */
@RegisterForReflection
record LockBatchView(
        String batchId,
        String status,
        boolean dryRun,
        String reason,
        String requestedBy,
        String targetKind,
        @JsonInclude(JsonInclude.Include.NON_NULL) String user,
        Set<Platform> platforms,
        int total,
        Map<DeviceState, Integer> counts,
        Instant startedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant finishedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long estimatedSecondsLeft,
        List<DeviceView> devices) {

    static final String RUNNING = "RUNNING";
    static final String FINISHED = "FINISHED";

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeviceView(String deviceId, String serialNumber, String deviceName, Platform platform, DeviceState state,
            String lockId, String lockStatus, String code, String message) {
    }

    static LockBatchView of(LockBatch batch, List<BatchDevice> devices, Map<DeviceState, Integer> counts,
            Instant finishedAt, Long secondsLeft) {
        return new LockBatchView(batch.batchId(), finishedAt != null ? FINISHED : RUNNING, batch.dryRun(),
                batch.reason(), batch.requestedBy(), batch.targetKind(), batch.user(), batch.platforms(),
                batch.total(), counts, batch.createdAt(), finishedAt, secondsLeft,
                devices.stream().map(device -> new DeviceView(device.deviceId(), device.serialNumber(),
                        device.deviceName(), device.platform(), device.state(), device.lockId(), device.lockStatus(),
                        device.code(), device.message())).toList());
    }
}
