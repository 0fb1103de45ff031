package dev.intunelock.batch;

/** Why a batch request was refused; {@link BatchProblems} turns each into its problem response. */
final class BatchRejections {

    private BatchRejections() {
    }

    /** More devices than {@code Lock.Devices} alone may lock at once. */
    static final class BulkRoleRequired extends RuntimeException {
        private final int devices;

        BulkRoleRequired(int devices) {
            super("A batch of " + devices + " devices needs the Locks.Bulk role");
            this.devices = devices;
        }

        int devices() {
            return devices;
        }
    }

    static final class BatchNotFound extends RuntimeException {
        BatchNotFound() {
            super("No such batch");
        }
    }

    /** Intune lists no managed device for the user the batch names. */
    static final class NoDevicesForUser extends RuntimeException {
        private final String user;

        NoDevicesForUser(String user) {
            super("Intune lists no managed device for the user");
            this.user = user;
        }

        String user() {
            return user;
        }
    }
}
