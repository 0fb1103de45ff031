package dev.intunelock.timing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long this instance has waited on what it calls (AWS services, Graph), and how often: the part of a request's
 * time that is not the function's own. A Lambda instance serves one request at a time, so the difference across a
 * request is that request's; {@link RequestTimes} logs it.
 */
public enum WaitedOn {
    AWS, GRAPH;

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();

    public void add(long waitedNanos) {
        nanos.addAndGet(waitedNanos);
        calls.incrementAndGet();
    }

    long nanos() {
        return nanos.get();
    }

    int calls() {
        return calls.get();
    }
}
