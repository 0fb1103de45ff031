package dev.intunelock.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * SnapStart restores one initialised state into many execution environments. Two generators in the same state (a
 * seeded SHA1PRNG given the same seed twice) stand for two environments restored from one snapshot taken after the
 * generator was used during init.
 */
class FreshRandomTest {

    private static final byte[] SNAPSHOT_STATE = "the state init left in the snapshot".getBytes();

    private static FreshRandom restoredFromTheSnapshot() throws NoSuchAlgorithmException {
        SecureRandom state = SecureRandom.getInstance("SHA1PRNG");
        state.setSeed(SNAPSHOT_STATE);
        return new FreshRandom(state);
    }

    @Test
    void twoRestoresOfOneInitialisedStateDrawDifferentIvsAndIds() throws NoSuchAlgorithmException {
        FreshRandom first = restoredFromTheSnapshot();
        FreshRandom second = restoredFromTheSnapshot();
        byte[] firstIv = new byte[12];
        byte[] secondIv = new byte[12];
        first.bytes(firstIv);
        second.bytes(secondIv);
        assertArrayEquals(firstIv, secondIv, "the hazard: a generator in the snapshot repeats itself in each copy");

        first.afterRestore(null);
        second.afterRestore(null);
        first.bytes(firstIv);
        second.bytes(secondIv);
        assertFalse(Arrays.equals(firstIv, secondIv), "after the restore hook each environment draws its own IVs");
        assertNotEquals(first.randomUuid(), second.randomUuid());
    }

    @Test
    void theSnapshotCarriesNoGenerator() throws NoSuchAlgorithmException {
        FreshRandom used = restoredFromTheSnapshot();
        FreshRandom twin = restoredFromTheSnapshot();
        byte[] drawnBeforeTheSnapshot = new byte[16];
        used.bytes(drawnBeforeTheSnapshot);
        twin.bytes(new byte[16]);
        used.beforeCheckpoint(null);

        byte[] next = new byte[16];
        byte[] whatTheOldStateGivesNext = new byte[16];
        used.bytes(next);
        twin.bytes(whatTheOldStateGivesNext);
        assertFalse(Arrays.equals(next, whatTheOldStateGivesNext), "the generator was dropped before the snapshot");
    }

    @Test
    void everyRandomValueOfTheFunctionComesFromFreshRandom() throws IOException {
        Pattern elsewhere = Pattern.compile("UUID\\.randomUUID|new SecureRandom|SecureRandom\\.getInstance|"
                + "ThreadLocalRandom|new Random\\(|Math\\.random|SplittableRandom|RandomGenerator");
        List<String> found;
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            found = sources.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> !path.endsWith(Path.of("random", "FreshRandom.java")))
                    .filter(path -> elsewhere.matcher(read(path)).find()).map(Path::toString).toList();
        }
        assertEquals(List.of(), found, "random values made elsewhere would be fixed into a SnapStart snapshot");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void idsAreVersionFourUuidsAndDoNotRepeat() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = FreshRandom.uuid();
            assertEquals(4, id.version());
            assertEquals(2, id.variant());
            ids.add(id);
        }
        assertEquals(10_000, ids.size());
    }
}
