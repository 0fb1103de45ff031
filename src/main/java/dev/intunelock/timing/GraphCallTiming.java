package dev.intunelock.timing;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

/**
 * Adds each Graph call's time on the wire (from sending the request to its answer) to {@link WaitedOn#GRAPH}, as
 * {@link AwsCallTiming} does for AWS: building the request and reading the answer's JSON are the function's own work.
 */
public final class GraphCallTiming implements ClientRequestFilter, ClientResponseFilter {

    private static final String SENT = "intune-lock.sent-nanos";

    @Override
    public void filter(ClientRequestContext request) {
        request.setProperty(SENT, System.nanoTime());
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (request.getProperty(SENT) instanceof Long sent) {
            WaitedOn.GRAPH.add(System.nanoTime() - sent);
        }
    }
}
