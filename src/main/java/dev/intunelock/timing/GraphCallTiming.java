package dev.intunelock.timing;

import jakarta.ws.rs.client.ClientResponseContext;

import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientRequestContext;
import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientRequestFilter;
import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientResponseFilter;

/**
 * Adds each Graph call's time on the wire (from sending the request to its answer) to {@link WaitedOn#GRAPH}, as
 * {@link AwsCallTiming} does for AWS: building the request and reading the answer's JSON are the function's own work.
 * Runs on the thread the answer arrives on (a plain JAX-RS response filter would be handed to a worker thread and
 * back for every answer).
 */
public final class GraphCallTiming
        implements ResteasyReactiveClientRequestFilter, ResteasyReactiveClientResponseFilter {

    private static final String SENT = "intune-lock.sent-nanos";

    @Override
    public void filter(ResteasyReactiveClientRequestContext request) {
        request.setProperty(SENT, System.nanoTime());
    }

    @Override
    public void filter(ResteasyReactiveClientRequestContext request, ClientResponseContext response) {
        if (request.getProperty(SENT) instanceof Long sent) {
            WaitedOn.GRAPH.add(System.nanoTime() - sent);
        }
    }
}
