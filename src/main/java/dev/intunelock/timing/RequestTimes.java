package dev.intunelock.timing;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * With {@code dev.intunelock.timing} at DEBUG, one line per request: how long it took and how much of that was spent
 * waiting on AWS and Graph (the benchmark reads these lines). Costs two clock reads per request otherwise.
 */
public class RequestTimes {

    private static final Logger LOG = Logger.getLogger(RequestTimes.class);
    private static final String STARTED = "intune-lock.request-times";

    private record Start(long nanos, long aws, int awsCalls, long graph, int graphCalls) {
    }

    @ServerRequestFilter(preMatching = true)
    public void started(ContainerRequestContext request) {
        if (LOG.isDebugEnabled()) {
            request.setProperty(STARTED, new Start(System.nanoTime(), WaitedOn.AWS.nanos(), WaitedOn.AWS.calls(),
                    WaitedOn.GRAPH.nanos(), WaitedOn.GRAPH.calls()));
        }
    }

    @ServerResponseFilter
    public void answered(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(STARTED) instanceof Start start) {
            LOG.debugf("request-times status=%d total=%.3fms aws=%.3fms/%d graph=%.3fms/%d", response.getStatus(),
                    millis(System.nanoTime() - start.nanos()), millis(WaitedOn.AWS.nanos() - start.aws()),
                    WaitedOn.AWS.calls() - start.awsCalls(), millis(WaitedOn.GRAPH.nanos() - start.graph()),
                    WaitedOn.GRAPH.calls() - start.graphCalls());
        }
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
