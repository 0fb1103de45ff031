package dev.intunelock.intune;

/**
 * Whose remoteLock it is, for the Graph write budget: a single lock someone is waiting for, or one device of a
 * batch. Bulk writes leave a reserve of every slot to urgent ones, so a lock asked for during an incident-sized batch
 * goes out within a slot instead of queueing behind the batch.
 */
public enum WritePriority {
    URGENT,
    BULK
}
