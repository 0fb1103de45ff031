package dev.intunelock.lock;

import dev.intunelock.pin.PinRecord;

/** What holds a device: a lock and, when the re-lock guard is why, its outstanding PIN. */
record HeldBy(Lock lock, PinRecord pin) {
}
