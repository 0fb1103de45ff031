package dev.intunelock.intune;

/**
 * Whose remoteLock it is, for the Graph write budget: a single lock someone is waiting for, or one device of a
 * batch. Bulk writes leave a reserve of the write window to urgent ones ({@link WriteWindow}), so a lock asked for
 * during an incident-sized batch goes out within seconds instead of queueing behind the batch.
 */
public enum WritePriority {
    URGENT,
    BULK
}
