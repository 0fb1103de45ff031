package dev.intunelock.intune;

import java.util.function.Predicate;

/** Which Graph failures are worth another attempt. */
final class RetryPolicies {

    private RetryPolicies() {
    }

    /**
     * For writes (remoteLock): only failures where Graph certainly did not act. A timeout is not one of them:
     * the command may have been queued, and a second lock makes a Mac's first recovery PIN useless.
     */
    public static final class NotActedOn implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            if (failure instanceof GraphUnavailableException unavailable) {
                return unavailable.notActedOn() || GraphErrors.isConnectFailure(unavailable);
            }
            return false;
        }
    }

    /** For reads: any transient failure. */
    public static final class Transient implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return failure instanceof GraphUnavailableException
                    || failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
        }
    }
}
