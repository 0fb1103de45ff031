package dev.intunelock.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Many independent AWS calls of one request made a few at a time (a 1,000-device batch is 40 DynamoDB batch writes
 * and 100 SQS batch sends: one after another they would hold the caller's answer for seconds). The threads are made
 * on first use, never at start-up, and kept.
 */
public final class InParallel {

    static final int AT_ONCE = 8;

    private InParallel() {
    }

    private static final class Workers {
        static final ExecutorService POOL = Executors.newFixedThreadPool(AT_ONCE, work -> {
            Thread worker = new Thread(work, "aws-in-parallel");
            worker.setDaemon(true);
            return worker;
        });
    }

    /** Runs {@code work} on every item, {@value #AT_ONCE} at a time; once all are done, rethrows the first failure. */
    public static <T> void each(List<T> items, Consumer<T> work) {
        if (items.size() < 2) {
            items.forEach(work);
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        items.forEach(item -> running.add(Workers.POOL.submit(() -> work.accept(item))));
        RuntimeException first = null;
        for (Future<?> done : running) {
            try {
                done.get();
            } catch (ExecutionException failed) {
                if (first == null) {
                    first = failed.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException(failed.getCause());
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for AWS calls", interrupted);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
