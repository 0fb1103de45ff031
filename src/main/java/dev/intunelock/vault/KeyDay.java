package dev.intunelock.vault;

import java.time.Instant;
import java.time.LocalDate;

/** One data key's day, and the moment the key is destroyed (from then on, nothing sealed under it can be opened). */
public record KeyDay(LocalDate day, Instant shredAt) {
}
