package dev.intunelock.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.intunelock.lock.LockRejections.InvalidLockRequest;

/** What a caller asks for: lock this Intune device, for this reason. */
public record LockRequest(String deviceId, String reason) {

    /** Intune managed-device ids are GUIDs. */
    private static final Pattern INTUNE_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    static final int MAX_REASON = 1000;

    /** Throws {@link InvalidLockRequest} naming every problem at once. */
    public static LockRequest validated(LockRequest request, String idempotencyKey) {
        List<String> violations = new ArrayList<>();
        if (request == null) {
            throw new InvalidLockRequest(List.of("A JSON body {\"deviceId\", \"reason\"} is required."));
        }
        if (request.deviceId() == null || request.deviceId().isBlank()) {
            violations.add("deviceId is required.");
        } else if (!INTUNE_ID.matcher(request.deviceId()).matches()) {
            violations.add("deviceId must be an Intune managed device id (a GUID).");
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
            throw new InvalidLockRequest(violations);
        }
        return new LockRequest(request.deviceId().toLowerCase(java.util.Locale.ROOT), request.reason().strip());
    }
}
