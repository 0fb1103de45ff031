package dev.intunelock.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.intunelock.request.DeviceIds;
import dev.intunelock.request.InvalidRequest;

/**
 * What a caller asks for: lock this Intune device, for this reason; {@code force} to lock a Mac whose recovery
 * PIN is still unused (Locks.Admin only).
 */
public record LockRequest(String deviceId, String reason, Boolean force) {

    public boolean forced() {
        return Boolean.TRUE.equals(force);
    }

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    static final int MAX_REASON = 1000;

    /** Throws {@link InvalidRequest} naming every problem at once. */
    public static LockRequest validated(LockRequest request, String idempotencyKey) {
        List<String> violations = new ArrayList<>();
        if (request == null) {
            throw new InvalidRequest(List.of("A JSON body {\"deviceId\", \"reason\"} is required."));
        }
        if (request.deviceId() == null || request.deviceId().isBlank()) {
            violations.add("deviceId is required.");
        } else if (!DeviceIds.isIntuneId(request.deviceId())) {
            violations.add(DeviceIds.RULE);
        }
        if (request.reason() == null || request.reason().isBlank()) {
            violations.add("reason is required: say why the device is being locked.");
        } else if (request.reason().length() > MAX_REASON) {
            violations.add("reason must be at most " + MAX_REASON + " characters.");
        }
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            violations.add("Idempotency-Key must be 1 to 255 visible ASCII characters.");
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        return new LockRequest(DeviceIds.validated(request.deviceId()), request.reason().strip(),
                request.forced());
    }
}
