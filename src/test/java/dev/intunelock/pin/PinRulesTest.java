package dev.intunelock.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.intunelock.vault.KeyDay;
import dev.intunelock.vault.Sealed;

/** The PIN rules on their own: the 30-day window, what counts as a PIN, the re-lock guard, the shredding bound. */
class PinRulesTest {

    static final Instant SENT = Instant.parse("2026-11-25T10:15:30.750Z");
    static final Sealed SEALED = new Sealed(LocalDate.parse("2026-11-25"), new byte[] { 1, 2, 3 });

    @Test
    void theWindowIsExactly2592000SecondsFromTheSendTimeAndItsTtlNeverLater() {
        assertEquals(Instant.parse("2026-12-25T10:15:30.750Z"), PinWindow.expiresAt(SENT));
        assertEquals(SENT.getEpochSecond() + 2_592_000, PinWindow.ttlEpochSeconds(SENT));
        assertTrue(Instant.ofEpochSecond(PinWindow.ttlEpochSeconds(SENT)).isBefore(PinWindow.expiresAt(SENT)));
    }

    @Test
    void thePinIsServedUpToOneSecondBeforeExpiryAndRefusedFromExpiryOn() {
        Instant expiresAt = PinWindow.expiresAt(SENT);
        assertTrue(PinWindow.isOpen(expiresAt, expiresAt.minusSeconds(1)));
        assertFalse(PinWindow.isOpen(expiresAt, expiresAt));
        assertFalse(PinWindow.isOpen(expiresAt, expiresAt.plusSeconds(86_400)));
    }

    @Test
    void aPinKeepsItsLeadingZeros() {
        assertEquals("004217", RecoveryPin.parse("004217").orElseThrow().digits());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "12345", "1234567", "12a456", " 12345", "１２３４５６", "-12345" })
    void anythingButSixDigitsIsNotAPin(String value) {
        assertTrue(RecoveryPin.parse(value).isEmpty());
    }

    @Test
    void aPinNeverShowsInToString() {
        RecoveryPin pin = RecoveryPin.parse("004217").orElseThrow();
        assertFalse(pin.toString().contains("004217"));
        assertFalse(SEALED.toString().contains("[1, 2, 3]"));
        assertFalse(PinView.of(PinRecord.awaiting("d", "l", SENT, null).stored(SEALED), pin).toString()
                .contains("004217"));
    }

    @Test
    void theGuardBlocksWhileThePinIsAwaitedOrStoredUnusedAndInItsWindow() {
        PinRecord awaiting = PinRecord.awaiting("d", "l", SENT, null);
        PinRecord stored = awaiting.stored(SEALED);
        Instant inWindow = SENT.plusSeconds(3600);

        assertTrue(ReLockGuard.blocks(awaiting, inWindow));
        assertTrue(ReLockGuard.blocks(stored, inWindow));
        assertFalse(ReLockGuard.blocks(stored.used(inWindow, "someone"), inWindow));
        assertFalse(ReLockGuard.blocks(awaiting.unavailable("the lock failed", false), inWindow));
        assertTrue(ReLockGuard.blocks(awaiting.unavailable("locked, PIN only in the admin center", true), inWindow));
        assertFalse(ReLockGuard.blocks(stored, PinWindow.expiresAt(SENT)));
    }

    @Test
    void expiryIsDecidedAtReadTimeNotStored() {
        PinRecord stored = PinRecord.awaiting("d", "l", SENT, null).stored(SEALED);
        assertEquals(PinStatus.STORED, stored.statusAt(PinWindow.expiresAt(SENT).minusSeconds(1)));
        assertEquals(PinStatus.EXPIRED, stored.statusAt(PinWindow.expiresAt(SENT)));
    }

    @Test
    void aPinIsSealedUnderTheKeyOfItsLocksUtcDayWhichIsDestroyedWhenTheLastPinOfThatDayHasExpired() {
        KeyDay key = ShreddingBound.keyOf(SENT);
        assertEquals(LocalDate.parse("2026-11-25"), key.day());
        assertEquals(Instant.parse("2026-12-26T00:00:00Z"), key.shredAt());
        assertEquals(key, ShreddingBound.keyOf(Instant.parse("2026-11-25T00:00:00Z")));
        assertEquals(key, ShreddingBound.keyOf(Instant.parse("2026-11-25T23:59:59.999Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-11-25T00:00:00Z", "2026-11-25T10:15:30.750Z", "2026-11-25T23:59:59.999999999Z",
            "2028-02-29T12:00:00Z" })
    void everyCopyOfAPinIsUndecryptableWithinADayOfItsExpiryAndNeverBefore(String lockedAt) {
        Instant sent = Instant.parse(lockedAt);
        Duration afterExpiry = Duration.between(PinWindow.expiresAt(sent), ShreddingBound.keyOf(sent).shredAt());
        assertTrue(!afterExpiry.isNegative() && !afterExpiry.isZero(), "the key outlives the window: " + afterExpiry);
        assertTrue(afterExpiry.compareTo(ShreddingBound.AFTER_EXPIRY) <= 0, "destroyed within a day: " + afterExpiry);
    }
}
