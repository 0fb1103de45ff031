package dev.intunelock.sweep;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.jboss.logging.Logger;

/**
 * One work list of a sweep run, handled item by item, each in its own try: an item that fails is counted and
 * logged, and the run goes on with the next. What each item came to is counted by name.
 */
record Tally(int taken, Map<String, Integer> outcomes, int errors) {

    private static final Logger LOG = Logger.getLogger(Tally.class);

    /** Handles {@code items} in order while {@code keepGoing} says so; {@code name} says an item in the log. */
    static <T> Tally over(List<T> items, BooleanSupplier keepGoing, Function<T, String> name,
            Function<T, String> step) {
        int taken = 0;
        int errors = 0;
        Map<String, Integer> outcomes = new HashMap<>();
        for (T item : items) {
            if (!keepGoing.getAsBoolean()) {
                break; // the rest waits for the next run
            }
            taken++;
            try {
                outcomes.merge(step.apply(item), 1, Integer::sum);
            } catch (RuntimeException failure) {
                errors++;
                LOG.errorf("Retry sweep: %s could not be handled this run (%s: %s)", name.apply(item),
                        failure.getClass().getSimpleName(), failure.getMessage());
            }
        }
        return new Tally(taken, outcomes, errors);
    }

    int count(String... names) {
        int sum = 0;
        for (String outcome : names) {
            sum += outcomes.getOrDefault(outcome, 0);
        }
        return sum;
    }
}
