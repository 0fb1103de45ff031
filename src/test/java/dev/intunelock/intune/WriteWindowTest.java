package dev.intunelock.intune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The rule of the Graph write budget, on its own (no store, no HTTP: the moments a shared log would hold), at
 * Intune's size: 200 writes in any 20 s. Batches ask as fast as they may; single locks come in between.
 */
class WriteWindowTest {

    static final WriteWindow INTUNE = new WriteWindow(200, Duration.ofSeconds(20));

    /** Moments given out so far, and the time as writers see it. */
    private long[] moments = new long[0];
    private long now;

    @Test
    void noWindowEverHoldsMoreThanTheBudgetWhoeverAsks() {
        Random random = new Random(4711);
        while (moments.length < 3000) {
            now += random.nextInt(40);
            take(random.nextInt(10) == 0 ? WritePriority.URGENT : WritePriority.BULK);
        }
        long leaves = INTUNE.window().toMillis() + INTUNE.marginMillis();
        for (int i = 0; i + 200 < moments.length; i++) {
            assertTrue(moments[i + 200] - moments[i] >= leaves, "201 writes within " + (moments[i + 200] - moments[i])
                    + " ms, from write " + i);
        }
    }

    @Test
    void aSingleLockFindsAPlaceWithinTheReleaseWhileBatchesTakeAllTheyMay() {
        Random random = new Random(1234);
        long longestWait = 0;
        while (now < 200_000) {
            long asked = now;
            long at = take(WritePriority.URGENT);
            longestWait = Math.max(longestWait, at - asked);
            long until = now + random.nextInt(3000);
            while (now < until) { // a batch, as fast as it is let: it books at most its longest wait ahead
                long earliest = INTUNE.earliest(moments, 0, now, WritePriority.BULK);
                if (earliest - now > INTUNE.longestWaitMillis(WritePriority.BULK)) {
                    now = earliest - INTUNE.longestWaitMillis(WritePriority.BULK);
                } else {
                    now = Math.max(now + 1, take(WritePriority.BULK));
                }
            }
        }
        assertTrue(longestWait <= INTUNE.releaseMillis(), "a single lock waited " + longestWait + " ms");
        assertTrue(longestWait > 0, "the batches never filled the window: the check proved nothing");
    }

    @Test
    void batchesAloneStillGetTheWholeWindowReservedPlacesIncludedJustBeforeTheyTurnOver() {
        while (moments.length < 400) {
            now = Math.max(now, take(WritePriority.BULK));
        }
        assertEquals(0, moments[0]);
        long firstWindow = Arrays.stream(moments).filter(moment -> moment < INTUNE.window().toMillis()).count();
        assertEquals(200, firstWindow, "writes in the first 20 s");
        assertEquals(190, Arrays.stream(moments).filter(moment -> moment == 0).count(), "at once, all but the reserve");
        long released = INTUNE.window().toMillis() + INTUNE.marginMillis() - INTUNE.releaseMillis();
        assertEquals(released, moments[190], "the reserve goes to the batch a quarter window before it turns over");
    }

    @Test
    void aPauseHoldsBackEveryWrite() {
        take(WritePriority.URGENT);
        assertEquals(9000, INTUNE.earliest(moments, 9000, 10, WritePriority.URGENT));
        assertEquals(9000, INTUNE.earliest(moments, 9000, 10, WritePriority.BULK));
    }

    /** As the budget does: a write is given the earliest moment and it goes into the log. */
    private long take(WritePriority priority) {
        long at = INTUNE.earliest(moments, 0, now, priority);
        moments = Arrays.copyOf(moments, moments.length + 1);
        moments[moments.length - 1] = at;
        return at;
    }
}
