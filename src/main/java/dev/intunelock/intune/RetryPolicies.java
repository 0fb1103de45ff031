package dev.intunelock.intune;

import java.util.function.Predicate;

/** Which Graph failures are worth another attempt within the same call. */
final class RetryPolicies {

    private RetryPolicies() {
    }

    /**
     * For writes (remoteLock): only failures where Graph certainly did not act (see {@link GraphErrors}). A timeout
     * is not one of them: the command may have been queued, and a second lock makes a Mac's first recovery PIN
     * useless.
     */
    public static final class NotActedOn implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return failure instanceof GraphUnavailableException unavailable && !unavailable.failure().mayHaveActed()
                    && GraphDeadline.allowsRetry(unavailable.failure());
        }
    }

    /** For reads: any transient failure. */
    public static final class Transient implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            if (failure instanceof GraphUnavailableException unavailable) {
                return GraphDeadline.allowsRetry(unavailable.failure());
            }
            return failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                    && GraphDeadline.allowsRetry(null);
        }
    }
}
