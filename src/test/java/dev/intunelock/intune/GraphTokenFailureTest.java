package dev.intunelock.intune;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * A Graph token that cannot be had means Graph was never called: the lock stays pending and retryable (even a Mac's,
 * which is never sent twice once it may have reached Intune), and goes out once the token can be had.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class GraphTokenFailureTest {

    static final String TOKEN_PATH = "/" + LocalStack.TENANT + "/oauth2/v2.0/token";
    final String token = Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices");

    @Inject
    GraphTokens tokens;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void aTokenEndpointTooSlowToAnswerLeavesTheMacLockPendingNotUnconfirmedAndItGoesOutOnceLater() {
        String mac = newDeviceId();
        String pin = TestPins.next();
        Instant retried = Instant.now().plusSeconds(120); // when the sweep sends it, and Intune starts the lock
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", retried, pin));
        StubMapping slow = LocalStack.graph().stubFor(post(urlEqualTo(TOKEN_PATH)).atPriority(1)
                .willReturn(aResponse().withFixedDelay(6_000).withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"too-late\"}")));
        String lockId;
        try {
            tokens.forget(); // the token has to be renewed now
            lockId = lock(mac).statusCode(202)
                    .body("status", equalTo("PENDING"))
                    .body("error.code", equalTo("tokenEndpointUnreachable"))
                    .body("error.mayHaveReachedIntune", equalTo(false))
                    .extract().path("lockId");
            assertEquals(0, remoteLockCalls(mac));
        } finally {
            LocalStack.graph().removeStub(slow);
        }

        clock.setNow(retried); // the next request for the device re-attempts the pending lock, as the sweep would
        lock(mac).statusCode(202).body("lockId", equalTo(lockId))
                .body("status", equalTo("SENT")).body("pin.status", equalTo("STORED"));
        assertEquals(1, remoteLockCalls(mac), "sent once");
    }

    private io.restassured.response.ValidatableResponse lock(String deviceId) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body("{\"deviceId\":\"" + deviceId + "\",\"reason\":\"Stolen\"}").post("/v1/locks").then();
    }
}
