package dev.intunelock.pin;

import java.time.Instant;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A lock's PIN as the lock status shows it: where it stands and until when. Never the PIN itself. */
@RegisterForReflection
public record PinSummary(PinStatus status, Instant expiresAt) {

    public static final PinSummary NOT_APPLICABLE = new PinSummary(PinStatus.NOT_APPLICABLE, null);
    public static final PinSummary AWAITING_SEND = new PinSummary(PinStatus.AWAITING, null);
}
