package dev.intunelock.random;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Randomness that stays unique under Lambda SnapStart. One snapshot of an initialised function is restored into many
 * execution environments at once; a generator made before the snapshot would hand each of them the same state: the
 * same AES-GCM IVs under a day's shared data key, the same lock, batch and audit ids, the same client-assertion ids,
 * the same retry jitter. So the generator is made at first use, never at start-up, and dropped before a snapshot and
 * after every restore (CRaC hooks, which Lambda runs for SnapStart; elsewhere they never fire). JDK only: nothing to
 * load at start-up.
 */
public final class FreshRandom implements Resource {

    private static final FreshRandom SHARED = new FreshRandom(null);

    private volatile SecureRandom generator;
    private volatile boolean hooked;

    /** {@code generator} null: made at first use. */
    FreshRandom(SecureRandom generator) {
        this.generator = generator;
    }

    /** Fills {@code into} with random bytes. */
    public static void nextBytes(byte[] into) {
        SHARED.bytes(into);
    }

    /** A random (version 4) UUID. */
    public static UUID uuid() {
        return SHARED.randomUuid();
    }

    /** A random number in [{@code origin}, {@code bound}). */
    public static long nextLong(long origin, long bound) {
        return SHARED.generator().nextLong(origin, bound);
    }

    void bytes(byte[] into) {
        generator().nextBytes(into);
    }

    UUID randomUuid() {
        byte[] bytes = new byte[16];
        bytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private SecureRandom generator() {
        SecureRandom current = generator;
        if (current == null) {
            current = new SecureRandom();
            generator = current;
        }
        if (!hooked) {
            hooked = true;
            // Used before a snapshot (during init): forget the generator before it and after each restore.
            Core.getGlobalContext().register(this);
        }
        return current;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        generator = null;
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        generator = null;
    }
}
