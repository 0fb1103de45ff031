package dev.intunelock.intune;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.intunelock.storage.SlotCounters;
import dev.intunelock.storage.StorageUnavailableException;

/**
 * The Graph write budget: every instance of the function together sends at most {@code graph.writes.per-20s}
 * remoteLock commands in any 20 s (Intune allows 200 per app and tenant; the default 180 leaves room for other
 * callers). The 20 s are cut into ten 2 s slots with a tenth of the budget each, counted in DynamoDB, so no 20 s
 * window can hold more than the budget plus one slot's share however the calls fall. A 429 that Graph still
 * answers after a call's own retries fills every slot until its {@code Retry-After} has passed (at most
 * {@code graph.writes.longest-pause} ahead, a minute), so all instances wait it out.
 */
@ApplicationScoped
public class GraphWriteBudget {

    static final Duration SLOT = Duration.ofSeconds(2);
    static final int SLOTS_PER_WINDOW = 10;
    /** How long a slot's counter stays in the table (TTL), for a look at recent pacing. */
    private static final Duration KEPT = Duration.ofHours(1);
    private static final String COUNTER = "GRAPH_WRITES";
    private static final Logger LOG = Logger.getLogger(GraphWriteBudget.class);

    private final SlotCounters slots;
    private final Clock clock;
    private final int perSlot;
    /** The end of a slot in which its urgent reserve goes to bulk writes too. */
    static final Duration RESERVE_RELEASE = Duration.ofMillis(500);
    /** Places of every slot that only urgent writes may take (until {@link #RESERVE_RELEASE}). */
    private final int urgentReserve;
    private final Duration longestPause;

    GraphWriteBudget(SlotCounters slots, Clock clock, @ConfigProperty(name = "graph.writes.per-20s") int perWindow,
            @ConfigProperty(name = "graph.writes.longest-pause") Duration longestPause) {
        this.slots = slots;
        this.clock = clock;
        this.perSlot = Math.max(1, perWindow / SLOTS_PER_WINDOW);
        this.urgentReserve = urgentReserve(perSlot);
        this.longestPause = longestPause;
    }

    /** A sixth of a slot (at least one place, once a slot has two), kept for urgent writes. */
    static int urgentReserve(int perSlot) {
        return perSlot > 1 ? Math.max(1, perSlot / 6) : 0;
    }

    /** About how long {@code writes} commands take at this budget's pace, with no other writes competing. */
    public Duration timeFor(int writes) {
        int bulkPerSlot = perSlot - urgentReserve;
        long slotsNeeded = (writes + bulkPerSlot - 1) / bulkPerSlot;
        return SLOT.multipliedBy(slotsNeeded);
    }

    /**
     * Takes a place for one write now, or throws {@link GraphWriteBudgetSpent} saying how long to wait. A bulk write
     * leaves the slot's urgent reserve alone until the slot's last quarter ({@link #RESERVE_RELEASE}): a reserve no
     * single lock needed by then goes to the batches, so they still get the whole budget.
     */
    void take(WritePriority priority) {
        Instant now = clock.instant();
        Instant slot = slotOf(now);
        Instant next = slot.plus(SLOT);
        Instant release = next.minus(RESERVE_RELEASE);
        boolean held = priority == WritePriority.BULK && urgentReserve > 0 && now.isBefore(release);
        boolean taken;
        try {
            taken = slots.takeIfBelow(COUNTER, slot, slot.plus(KEPT), held ? perSlot - urgentReserve : perSlot);
        } catch (StorageUnavailableException unavailable) {
            LOG.warnf("The Graph write budget cannot be read (%s); the command is not sent", unavailable.getMessage());
            throw new GraphWriteBudgetSpent(SLOT);
        }
        if (!taken) {
            throw new GraphWriteBudgetSpent(Duration.between(now, held ? release : next));
        }
    }

    /** Graph said 429: no instance writes again before {@code retryAfterSeconds} have passed. */
    void pauseFor(long retryAfterSeconds) {
        Instant now = clock.instant();
        Duration pause = Duration.ofSeconds(retryAfterSeconds);
        Instant end = now.plus(pause.compareTo(longestPause) < 0 ? pause : longestPause);
        if (!end.isAfter(now)) {
            return;
        }
        try {
            for (Instant slot = slotOf(now); slot.isBefore(end); slot = slot.plus(SLOT)) {
                slots.block(COUNTER, slot, slot.plus(KEPT));
            }
        } catch (StorageUnavailableException unavailable) {
            LOG.warnf("Graph's Retry-After could not be shared with the other instances: %s", unavailable.getMessage());
        }
    }

    static Instant slotOf(Instant time) {
        long seconds = time.getEpochSecond();
        return Instant.ofEpochSecond(seconds - Math.floorMod(seconds, SLOT.toSeconds()));
    }
}
