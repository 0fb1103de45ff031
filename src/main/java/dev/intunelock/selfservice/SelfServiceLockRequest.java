package dev.intunelock.selfservice;

import java.util.ArrayList;
import java.util.List;

import dev.intunelock.lock.LockRequest;
import dev.intunelock.request.DeviceIds;
import dev.intunelock.request.InvalidRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An employee's request to lock one of their own devices, with an optional note ("left in a taxi"). */
@RegisterForReflection
public record SelfServiceLockRequest(String deviceId, String note) {

    static final int MAX_NOTE = 500;
    static final String NO_NOTE = "Reported lost by its owner through self-service.";

    /** Throws {@link InvalidRequest} naming every problem at once. */
    static SelfServiceLockRequest validated(SelfServiceLockRequest request) {
        if (request == null) {
            throw new InvalidRequest(List.of("A JSON body {\"deviceId\", \"note\"} is required."));
        }
        List<String> violations = new ArrayList<>();
        if (request.deviceId() == null || request.deviceId().isBlank()) {
            violations.add("deviceId is required.");
        } else if (!DeviceIds.isIntuneId(request.deviceId())) {
            violations.add(DeviceIds.RULE);
        }
        if (request.note() != null && request.note().length() > MAX_NOTE) {
            violations.add("note must be at most " + MAX_NOTE + " characters.");
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequest(violations);
        }
        String note = request.note() == null ? null : request.note().strip();
        return new SelfServiceLockRequest(DeviceIds.validated(request.deviceId()), note);
    }

    /** The lock as the lock service records it: the note is its reason. Self-service can never force. */
    LockRequest toLockRequest() {
        return new LockRequest(deviceId, note == null || note.isEmpty() ? NO_NOTE : note, null);
    }
}
