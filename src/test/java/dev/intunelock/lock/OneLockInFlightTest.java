package dev.intunelock.lock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAnswers;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.Concurrently;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** One lock in flight per device: concurrent requests produce exactly one remoteLock command. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class OneLockInFlightTest {

    @Inject
    LockStore store;

    @Test
    void twentySimultaneousRequestsForOneDeviceSendExactlyOneRemoteLock() throws Exception {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        remoteLockAnswers(deviceId, aResponse().withStatus(204).withFixedDelay(200));
        String token = Tokens.withRoles("soc@contoso.example", "Lock.Devices");

        List<ExtractableResponse<Response>> responses = Concurrently.run(20, () -> LockApi.lock(token, deviceId).extract());

        List<Integer> statuses = responses.stream().map(ExtractableResponse::statusCode).toList();
        assertEquals(1, statuses.stream().filter(s -> s == 202).count(), "statuses: " + statuses);
        assertEquals(19, statuses.stream().filter(s -> s == 409).count(), "statuses: " + statuses);
        String winner = responses.stream().filter(r -> r.statusCode() == 202).findFirst().orElseThrow().path("lockId");
        responses.stream().filter(r -> r.statusCode() == 409)
                .forEach(r -> assertEquals(winner, r.path("lockId"), "every 409 names the lock in flight"));
        assertEquals(1, remoteLockCalls(deviceId));
    }

    @Test
    void concurrentClaimsOnTheStoreHaveExactlyOneWinner() throws Exception {
        String deviceId = newDeviceId();
        Instant now = Instant.now();

        List<Optional<LockStore.DeviceClaim>> outcomes = Concurrently.run(20,
                () -> store.claimDevice(deviceId, UUID.randomUUID().toString(), now));

        assertEquals(1, outcomes.stream().filter(Optional::isEmpty).count());
    }
}
