package dev.intunelock.lock;

import java.util.regex.Pattern;

/** Lock ids are UUIDs; anything else cannot name a lock and is not looked up. */
final class LockIds {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private LockIds() {
    }

    static boolean isWellFormed(String lockId) {
        return lockId != null && UUID.matcher(lockId).matches();
    }
}
