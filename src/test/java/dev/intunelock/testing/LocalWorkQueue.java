package dev.intunelock.testing;

import java.io.IOException;
import java.net.URI;

/**
 * The work queue of the local run (src/local/run.sh): ElasticMQ on {@code --port} with the template's queue, and
 * the event source mapping feeding its messages to the function in dev mode ({@code --invoke}, its raw Lambda
 * event entry). Prints {@code work-queue ready <queue url>} once up; stops when its standard input closes, as the
 * node stand-ins do.
 */
public final class LocalWorkQueue {

    private LocalWorkQueue() {
    }

    public static void main(String[] args) throws IOException {
        int port = 8703;
        URI invoke = URI.create("http://127.0.0.1:8080/_lambda_");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--invoke" -> invoke = URI.create(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SqsStandIn.start(port);
        try (SqsEventSourceMapping mapping = SqsEventSourceMapping.start(invoke, 1)) {
            System.out.println("work-queue ready " + SqsStandIn.queueUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // the run script holds standard input open while Quarkus runs
            }
        } finally {
            SqsStandIn.stop();
        }
    }
}
