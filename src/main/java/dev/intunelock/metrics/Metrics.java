package dev.intunelock.metrics;

/**
 * The counters an operator alarms on, written as CloudWatch Embedded Metric Format lines to standard output: Lambda
 * sends each line to CloudWatch Logs, which turns it into a metric in namespace {@value #NAMESPACE}. No agent, no
 * client, no background thread, nothing at start-up. Names and dimensions are the ones template.yaml's alarms use.
 */
public final class Metrics {

    public static final String NAMESPACE = "IntuneLock";

    /** A lock moved to a new status (dimension {@code Status}). */
    public static final String LOCKS = "Locks";
    /** A lock ended {@code UNCONFIRMED}: check the device in the admin center. */
    public static final String LOCKS_UNCONFIRMED = "LocksUnconfirmed";
    /** A pending lock was given up after its bound. */
    public static final String LOCKS_GIVEN_UP = "LocksGivenUp";
    /** A lock batch whose work could not be queued in time was given up: its devices not begun on end FAILED. */
    public static final String BATCHES_GIVEN_UP = "BatchesGivenUp";
    /** A pending lock was attempted once more. */
    public static final String LOCK_REATTEMPTS = "LockReattempts";
    /** Graph answered 429. */
    public static final String GRAPH_THROTTLED = "GraphThrottled";
    /** Graph answered 5xx. */
    public static final String GRAPH_SERVER_ERRORS = "GraphServerErrors";
    /** A Mac's recovery PIN could not be captured (Intune gave none, or not 6 digits, or not within a day). */
    public static final String PIN_CAPTURE_FAILURES = "PinCaptureFailures";
    /** An audit event of a lock step could not be written (the step itself went ahead). */
    public static final String AUDIT_WRITE_FAILURES = "AuditWriteFailures";
    /** After each retry sweep: how long the oldest pending lock has waited (0 when none). */
    public static final String OLDEST_PENDING_LOCK_AGE = "OldestPendingLockAgeSeconds";

    private Metrics() {
    }

    public static void count(String metric) {
        emit(metric, "Count", 1, null, null);
    }

    public static void count(String metric, String dimension, String value) {
        emit(metric, "Count", 1, dimension, value);
    }

    public static void seconds(String metric, long seconds) {
        emit(metric, "Seconds", seconds, null, null);
    }

    /** One EMF line. Names and values are this class's constants and enum names: nothing to escape. */
    static String line(String metric, String unit, long value, String dimension, String dimensionValue,
            long epochMillis) {
        return "{\"_aws\":{\"Timestamp\":" + epochMillis + ",\"CloudWatchMetrics\":[{\"Namespace\":\"" + NAMESPACE
                + "\",\"Dimensions\":[[" + (dimension == null ? "" : "\"" + dimension + "\"") + "]],\"Metrics\":[{"
                + "\"Name\":\"" + metric + "\",\"Unit\":\"" + unit + "\"}]}]}"
                + (dimension == null ? "" : ",\"" + dimension + "\":\"" + dimensionValue + "\"")
                + ",\"" + metric + "\":" + value + "}";
    }

    private static void emit(String metric, String unit, long value, String dimension, String dimensionValue) {
        System.out.println(line(metric, unit, value, dimension, dimensionValue, System.currentTimeMillis()));
    }
}
