package dev.intunelock.testing.iam;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A statement of the function's policy taken away for the length of one test, to show what the function does when
 * AWS denies what it needs (a permission lost in a later template change, an SCP, a boundary). Calls denied only
 * because of it are expected: they are in the ledger, marked so, and fail no test. JVM-wide (a system property: the
 * test and the function's recorder live in different class loaders); one withdrawal at a time.
 */
public final class WithdrawnGrant implements AutoCloseable {

    private static final String PROPERTY = "intune-lock.policy.withdrawn";

    private WithdrawnGrant() {
    }

    /** Withdraws the statement {@code sid} until {@link #close}. */
    public static WithdrawnGrant of(String sid) {
        if (DeployedPolicy.statements().stream().noneMatch(statement -> statement.sid().equals(sid))) {
            throw new IllegalArgumentException("The function's policy has no statement " + sid);
        }
        if (System.getProperties().putIfAbsent(PROPERTY, sid) != null) {
            throw new IllegalStateException("A grant is withdrawn already: " + System.getProperty(PROPERTY));
        }
        return new WithdrawnGrant();
    }

    /** The statements withdrawn now. */
    static Set<String> now() {
        String withdrawn = System.getProperty(PROPERTY, "");
        return withdrawn.isEmpty() ? Set.of() : Arrays.stream(withdrawn.split(",")).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        System.clearProperty(PROPERTY);
    }
}
