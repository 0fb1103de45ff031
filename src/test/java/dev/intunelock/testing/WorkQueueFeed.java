package dev.intunelock.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a {@code @QuarkusTest} class whose requests put work on the queue: empties the queue, then feeds it to the
 * function for the whole class ({@link SqsEventSourceMapping}), one invocation at a time as the test JVM's one
 * Lambda loop takes them. {@code @RegisterExtension static final WorkQueueFeed QUEUE = new WorkQueueFeed();}
 */
public final class WorkQueueFeed implements BeforeAllCallback, AfterAllCallback {

    private SqsEventSourceMapping mapping;

    @Override
    public void beforeAll(ExtensionContext context) {
        SqsStandIn.purge();
        mapping = SqsEventSourceMapping.intoQuarkusTest(1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        mapping.close();
    }

    /** Work queued from now on stays on the queue until {@link #resume()}. */
    public void pause() {
        mapping.close();
    }

    public void resume() {
        mapping = SqsEventSourceMapping.intoQuarkusTest(1);
    }

    /** Invocations the function failed outright (not an answer with batchItemFailures). */
    public int failedInvocations() {
        return mapping.failedInvocations();
    }

    public int invocations() {
        return mapping.invocations();
    }
}
