package dev.intunelock.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits (briefly, polling) for something another thread makes true, such as Graph having received a call. */
public final class Awaiting {

    private Awaiting() {
    }

    public static void until(BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
