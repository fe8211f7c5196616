package io.jettyspeed.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The sequence of uploads, decided from the seed alone: Poisson arrivals at the configured rate,
 * a user for each, a log-normal file size, and whether it is a duplicate of earlier content (a
 * popular earlier file is more likely to be re-uploaded), fails, or is resumed from a second
 * device. The same seed and run id give the same sequence, whatever the gateway answers.
 */
public final class Workload implements Iterator<UploadScenario> {

    private static final String[] EXTENSIONS = {"mp4", "mov", "zip", "pdf", "jpg", "psd", "tar.gz", "wav", "iso", "docx"};

    private final List<SimUser> users;
    private final SimulatorOptions options;
    private final Random random;
    private final List<UploadScenario> originals = new ArrayList<>();
    private long clockMillis;
    private int index;

    public Workload(List<SimUser> users, SimulatorOptions options) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no users");
        }
        this.users = List.copyOf(users);
        this.options = options;
        this.random = new Random(options.seed());
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public UploadScenario next() {
        double meanGapMillis = 60_000.0 / options.uploadsPerMinute();
        clockMillis += Math.round(-Math.log(1 - random.nextDouble()) * meanGapMillis);
        int i = index++;
        SimUser user = users.get(random.nextInt(users.size()));
        boolean duplicate = !originals.isEmpty() && random.nextDouble() < options.duplicateShare();
        double fate = random.nextDouble();
        UploadScenario.Outcome outcome = fate < options.failureShare() ? UploadScenario.Outcome.FAIL
                : fate < options.failureShare() + options.resumeShare() ? UploadScenario.Outcome.RESUME
                : UploadScenario.Outcome.COMPLETE;
        double interruptAt = 0.2 + random.nextDouble() * 0.6;
        long uploadSeed = random.nextLong();
        UploadScenario scenario;
        if (duplicate) {
            // Popular content is re-uploaded more: the square skews the pick towards recent originals.
            double u = random.nextDouble();
            UploadScenario original = originals.get(originals.size() - 1 - (int) (u * u * originals.size()));
            scenario = new UploadScenario(i, clockMillis, user, original.fileName(), original.fileSize(),
                    original.fileHash(), original.index(), outcome, interruptAt, uploadSeed);
        } else {
            String name = fileName(random, i);
            long size = FileSizes.next(random);
            scenario = new UploadScenario(i, clockMillis, user, name, size, hash(options.seed(), options.runId(), i),
                    -1, outcome, interruptAt, uploadSeed);
            if (outcome != UploadScenario.Outcome.FAIL) {
                originals.add(scenario);
            }
        }
        return scenario;
    }

    static String fileName(Random random, int index) {
        String[] words = {"holiday", "render", "backup", "podcast", "invoice", "dataset", "raw", "final", "draft", "scan"};
        return words[random.nextInt(words.length)] + "-" + index + "." + EXTENSIONS[random.nextInt(EXTENSIONS.length)];
    }

    /** A content hash that is unique per seed, run and file, in the API's {@code sha256:<hex>} form. */
    static String hash(long seed, String runId, int index) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((seed + "/" + runId + "/" + index).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
