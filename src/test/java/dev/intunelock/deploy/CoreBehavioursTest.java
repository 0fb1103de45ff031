package dev.intunelock.deploy;

import dev.intunelock.testing.LocalStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(LocalStack.class)
class CoreBehavioursTest extends CoreBehaviours {
}
