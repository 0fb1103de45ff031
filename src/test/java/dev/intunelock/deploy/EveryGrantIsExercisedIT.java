package dev.intunelock.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.iam.AwsCall;
import dev.intunelock.testing.iam.CallLedger;
import dev.intunelock.testing.iam.UnusedGrants;

/**
 * Least privilege, the other way round from the per-call check: after the whole test suite (failsafe runs after
 * surefire in {@code ./mvnw verify}), every action template.yaml grants the function was used by at least one of the
 * function's calls in that run, or its line says why it stays ({@code # untested: <why>}).
 */
class EveryGrantIsExercisedIT {

    @Test
    void everyPermissionTheTemplateGrantsWasUsedByTheFunctionInTheTestRun() {
        String selection = System.getProperty("intune-lock.surefire-selection", "");
        Assumptions.assumeTrue(selection.isEmpty() || selection.startsWith("${"),
                "only some tests ran (-Dtest=" + selection + "): they need not use every grant");
        String build = System.getProperty(CallLedger.BUILD_PROPERTY, "");
        assertEquals(build, CallLedger.build(), CallLedger.FILE + " is not this run's: the test suite ran no AWS call "
                + "through testing/iam/FunctionCallRecorder (is software/amazon/awssdk/global/handlers/"
                + "execution.interceptors still in src/test/resources?)");
        List<CallLedger.Entry> entries = CallLedger.entries();
        assertTrue(entries.size() > 20, "the ledger holds the run's calls: " + entries.size());
        assertFalse(entries.stream().anyMatch(CallLedger.Entry::unexpectedDenial),
                "no call was denied but by a grant a test withdrew (each failed its test)");

        List<AwsCall> calls = entries.stream().map(CallLedger.Entry::call).toList();
        List<UnusedGrants.Grant> unexplained = UnusedGrants.unexplained(calls);
        assertTrue(unexplained.isEmpty(), "template.yaml grants the function what no test used; use it in a test, "
                + "take it away, or say why it stays on its line ('# untested: <why>'):\n" + unexplained.stream()
                        .map(grant -> "  " + grant).collect(Collectors.joining("\n")));
    }
}
