package dev.intunelock.testing.iam;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails every test during which the function made an AWS call that template.yaml's policy denies, naming the action
 * and the resource, even where the function took the AccessDeniedException in its stride (a WARN, a retry later):
 * deployed, that path would never work. Denials a test caused on purpose ({@link WithdrawnGrant}) do not count.
 * Registered for every test by JUnit's extension auto-detection (META-INF/services;
 * quarkus-junit's own junit-platform.properties turns auto-detection on), so no test can leave it out; should that
 * ever stop, the ledger still holds every denial and {@code EveryGrantIsExercisedIT} fails the build on it.
 */
public final class DeniedCallsFailTheTest implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace LEDGER = ExtensionContext.Namespace.create(CallLedger.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(LEDGER).put("mark", CallLedger.mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Long mark = context.getStore(LEDGER).get("mark", Long.class);
        List<CallLedger.Entry> denied = CallLedger.deniedSince(mark == null ? -1 : mark).stream()
                .filter(CallLedger.Entry::unexpectedDenial).toList();
        if (!denied.isEmpty()) {
            throw new AssertionError("AWS would deny the function " + denied.size() + " call(s) during this test:\n"
                    + denied.stream().map(entry -> "  " + entry.call() + ": " + entry.why()).distinct()
                            .collect(Collectors.joining("\n")));
        }
    }
}
