package dev.intunelock.selfservice;

import java.time.Instant;

import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.lock.Platform;
import dev.intunelock.lock.PlatformGate;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One of the caller's own devices as the self-service page lists it: what it is, when it last checked in with
 * Intune, and whether Remote lock can reach it (the platform gate's verdict) or why not. {@code recoveryPin}: a
 * lock sets a recovery PIN that only the helpdesk can give out (Macs).
 */
@RegisterForReflection
public record OwnDevice(
        String id,
        String name,
        String model,
        Platform platform,
        String operatingSystem,
        Instant lastCheckIn,
        boolean lockable,
        String notLockableReason,
        boolean recoveryPin) {

    static OwnDevice of(IntuneDevice device) {
        PlatformGate.Verdict verdict = PlatformGate.check(device.deviceType());
        String refusal = verdict instanceof PlatformGate.Refused refused ? refused.reason() : null;
        return new OwnDevice(device.id(), device.deviceName(), device.model(), verdict.platform(),
                device.operatingSystem(), device.lastSyncAt(), refusal == null, refusal,
                verdict.platform().hasRecoveryPin());
    }
}
