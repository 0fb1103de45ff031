package dev.intunelock.selfservice;

import java.time.Instant;
import java.util.Optional;

import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.lock.Platform;
import dev.intunelock.lock.PlatformGate;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One of the caller's own devices as the self-service page lists it: what it is, when it last checked in with
 * Intune, and whether Remote lock can reach it (the platform gate's verdict) or why not. {@code recoveryPin}: a
 * lock sets a recovery PIN that only the helpdesk can give out (Macs). {@code lock}: where its latest lock stands,
 * so that nobody spends a lock attempt to learn that it is locked already.
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
        boolean recoveryPin,
        LatestLock lock) {

    /**
     * The device's latest lock: its status and when it was requested and sent; {@code pinHeldUntil} while a Mac is
     * locked with a recovery PIN not used yet (the helpdesk holds it until then; the device cannot be locked again).
     */
    @RegisterForReflection
    public record LatestLock(String status, Instant requestedAt, Instant sentAt, Instant pinHeldUntil) {
    }

    static OwnDevice of(IntuneDevice device, Optional<LatestLock> lock) {
        PlatformGate.Verdict verdict = PlatformGate.check(device.deviceType());
        String refusal = verdict instanceof PlatformGate.Refused refused ? refused.reason() : null;
        boolean pinOutstanding = lock.map(LatestLock::pinHeldUntil).isPresent();
        return new OwnDevice(device.id(), device.deviceName(), device.model(), verdict.platform(),
                device.operatingSystem(), device.lastSyncAt(), refusal == null && !pinOutstanding,
                refusal != null ? refusal : pinOutstanding
                        ? "It is locked already, and the helpdesk holds its recovery PIN." : null,
                verdict.platform().hasRecoveryPin(), lock.orElse(null));
    }
}
