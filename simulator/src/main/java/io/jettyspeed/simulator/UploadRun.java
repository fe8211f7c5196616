package io.jettyspeed.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import tools.jackson.databind.JsonNode;

/**
 * One simulated upload, driven step by step like a real client would do it:
 * {@code check-duplicate} (a hit is an instant clone and the end), {@code optimal-edges},
 * {@code track-upload start}, then about once a second one {@code events} batch with the chunks
 * finished in that second (each through an edge picked by the recommended weights) and a progress
 * event, and finally {@code complete}. Chunks through the degrading edge fail more the worse it
 * is; a client drops an edge after two failures through it and asks for edges again. A
 * {@link UploadScenario.Outcome#FAIL} stops part-way and reports {@code fail}; a
 * {@link UploadScenario.Outcome#RESUME} stops part-way, and a few seconds later the user's second
 * device finds the session by {@code (userId, fileHash)} and uploads the missing chunks.
 */
final class UploadRun {

    /** Uploads bigger than this many seconds of simulated transfer are sped up to fit. */
    static final double MAX_UPLOAD_SECONDS = 90;
    static final long STEP_MILLIS = 1_000;
    static final int MAX_CHUNKS_PER_BATCH = 400;

    private enum Phase { BEGIN, START, UPLOAD, RESUME_LOOKUP, DONE }

    /** What the run needs from the simulation around it. */
    record Context(GatewayClient client, SimulatorStats stats, String runId, String badEdge,
            DoubleSupplier badEdgeSeverity) {
    }

    private final UploadScenario scenario;
    private final Context context;
    private final Random random;
    private final Deque<Integer> pending = new ArrayDeque<>();
    private final Map<String, Integer> failuresByEdge = new LinkedHashMap<>();
    private List<String> edgeIds = List.of();
    private double[] weights = new double[0];
    private Phase phase = Phase.BEGIN;
    private String sessionId;
    private String deviceId;
    private long chunkSize;
    private int totalChunks;
    private double chunksPerStep;
    private double carry;
    private int interruptAfter;
    private int chunksDone;
    private int eventSeq;
    private int lookups;
    private boolean interrupted;
    private boolean refreshEdges;

    UploadRun(UploadScenario scenario, Context context) {
        this.scenario = scenario;
        this.context = context;
        this.random = new Random(scenario.seed());
        this.deviceId = scenario.user().primaryDevice();
    }

    UploadScenario scenario() {
        return scenario;
    }

    /** Does the next step; answers how many milliseconds until the following one, or -1 when finished. */
    long step() {
        return switch (phase) {
            case BEGIN -> begin();
            case START -> start();
            case UPLOAD -> upload();
            case RESUME_LOOKUP -> resumeLookup();
            case DONE -> -1;
        };
    }

    boolean finished() {
        return phase == Phase.DONE;
    }

    private long begin() {
        var reply = context.client().post("/api/jetty/check-duplicate",
                Map.of("fileHash", scenario.fileHash(), "userId", scenario.user().userId(), "eventId", eventId()));
        if (reply.ok() && reply.body().path("isDuplicate").asBoolean(false)) {
            // The content is stored already: the check recorded an instant clone, nothing to upload.
            context.stats().instantClones.increment();
            return done();
        }
        if (!reply.ok()) {
            return done();
        }
        phase = Phase.START;
        return 0;
    }

    private long start() {
        if (!askForEdges()) {
            return done();
        }
        Map<String, Object> body = upload("start");
        body.put("fileName", scenario.fileName());
        body.put("chunkSize", chunkSize);
        body.put("totalChunks", totalChunks);
        body.put("edgeIds", edgeIds);
        body.put("plan", scenario.user().plan());
        var reply = context.client().post("/api/jetty/track-upload", body);
        if (!reply.ok() || reply.body().path("sessionId").isMissingNode()) {
            return done();
        }
        sessionId = reply.body().path("sessionId").asString();
        context.stats().uploadsStarted.increment();
        for (int i = 0; i < totalChunks; i++) {
            pending.add(i);
        }
        double seconds = scenario.fileSize() * 8.0 / (scenario.user().uplinkMbps() * 1_000_000);
        double perSecond = totalChunks / Math.max(1.0, Math.min(MAX_UPLOAD_SECONDS, seconds));
        chunksPerStep = Math.min(MAX_CHUNKS_PER_BATCH, Math.max(0.2, perSecond));
        interruptAfter = scenario.outcome() == UploadScenario.Outcome.COMPLETE ? Integer.MAX_VALUE
                : Math.max(0, (int) Math.floor(totalChunks * scenario.interruptAt()));
        phase = Phase.UPLOAD;
        return STEP_MILLIS;
    }

    private long upload() {
        if (!interrupted && chunksDone >= interruptAfter && !pending.isEmpty()) {
            return interrupt();
        }
        if (pending.isEmpty()) {
            return complete();
        }
        if (refreshEdges) {
            refreshEdges = false;
            askForEdges();
        }
        carry += chunksPerStep;
        int n = (int) Math.min(Math.floor(carry), pending.size());
        if (!interrupted) {
            n = Math.min(n, Math.max(0, interruptAfter - chunksDone));
        }
        if (n == 0) {
            return STEP_MILLIS;
        }
        carry -= n;
        List<Map<String, Object>> events = new ArrayList<>(n + 1);
        double severity = context.badEdgeSeverity().getAsDouble();
        List<Integer> failed = new ArrayList<>();
        int completed = 0;
        for (int k = 0; k < n; k++) {
            int index = pending.poll();
            String edge = pickEdge();
            long bytes = chunkBytes(index);
            boolean bad = edge.equals(context.badEdge());
            boolean fails = random.nextDouble() < 0.002 + (bad ? 0.85 * severity : 0);
            double mbps = scenario.user().uplinkMbps() * (bad ? Math.max(0.1, 1 - 0.8 * severity) : 1)
                    * (0.8 + random.nextDouble() * 0.4);
            long durationMs = Math.max(1, Math.round(bytes * 8.0 / (mbps * 1000)));
            Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("type", "chunk");
            chunk.put("eventId", eventId());
            chunk.put("sessionId", sessionId);
            chunk.put("userId", scenario.user().userId());
            chunk.put("chunkIndex", index);
            chunk.put("totalChunks", totalChunks);
            chunk.put("status", fails ? "failed" : "completed");
            chunk.put("edgeId", edge);
            chunk.put("chunkSize", bytes);
            chunk.put("durationMs", fails ? Math.min(durationMs, 30_000) : durationMs);
            if (fails) {
                chunk.put("error", bad ? "edge " + edge + " timed out" : "connection reset");
                failed.add(index);
                if (failuresByEdge.merge(edge, 1, Integer::sum) >= 2 && !EDGE_OF_LAST_RESORT.equals(edge)) {
                    dropEdge(edge);
                    refreshEdges = true;
                }
            } else {
                completed++;
                context.stats().bytesUploaded.add(bytes);
            }
            events.add(chunk);
        }
        Map<String, Object> progress = upload("progress");
        progress.put("type", "upload");
        progress.put("bytesUploaded", Math.min(scenario.fileSize(), (chunksDone + completed) * chunkSize));
        events.add(progress);
        var reply = context.client().post("/api/jetty/events", Map.of("events", events));
        if (!reply.ok()) {
            // Not accepted: the same chunks go again next time (their event ids are new, the chunk bitmap is idempotent).
            for (Map<String, Object> e : events) {
                if (e.get("chunkIndex") instanceof Integer i) {
                    pending.addFirst(i);
                }
            }
            return STEP_MILLIS;
        }
        chunksDone += completed;
        context.stats().chunksCompleted.add(completed);
        context.stats().chunksFailed.add(failed.size());
        pending.addAll(failed);
        return STEP_MILLIS;
    }

    private long interrupt() {
        interrupted = true;
        if (scenario.outcome() == UploadScenario.Outcome.FAIL) {
            Map<String, Object> body = upload("fail");
            body.put("bytesUploaded", Math.min(scenario.fileSize(), chunksDone * chunkSize));
            body.put("error", "client gave up: connection lost");
            context.client().post("/api/jetty/track-upload", body);
            context.stats().uploadsFailed.increment();
            return done();
        }
        // RESUME: the first device goes away; the second one picks the upload up a few seconds later.
        phase = Phase.RESUME_LOOKUP;
        deviceId = scenario.user().secondDevice();
        return 3_000 + random.nextInt(5_000);
    }

    private long resumeLookup() {
        lookups++;
        var reply = context.client().get("/api/jetty/sessions?userId=" + GatewayClient.query(scenario.user().userId())
                + "&fileHash=" + GatewayClient.query(scenario.fileHash()));
        if (reply.status() == 404 && lookups < 5) {
            return 2_000;
        }
        if (reply.ok() && reply.body().path("missingChunks").isArray()) {
            sessionId = reply.body().path("sessionId").asString(sessionId);
            pending.clear();
            for (JsonNode range : reply.body().path("missingChunks")) {
                for (int i = range.path("from").asInt(); i <= range.path("to").asInt() && i < totalChunks; i++) {
                    pending.add(i);
                }
            }
            chunksDone = totalChunks - pending.size();
        }
        // else: the lookup did not find it in time; the second device knows nothing better than the
        // chunks the first device had not sent.
        context.stats().uploadsResumed.increment();
        phase = Phase.UPLOAD;
        return 0;
    }

    private long complete() {
        Map<String, Object> body = upload("complete");
        body.put("bytesUploaded", scenario.fileSize());
        body.put("edgeIds", edgeIds);
        var reply = context.client().post("/api/jetty/track-upload", body);
        if (reply.ok()) {
            context.stats().uploadsCompleted.increment();
        }
        return done();
    }

    private long done() {
        phase = Phase.DONE;
        return -1;
    }

    private boolean askForEdges() {
        SimUser user = scenario.user();
        var reply = context.client().post("/api/jetty/optimal-edges", Map.of("userId", user.userId(),
                "fileSize", scenario.fileSize(), "fileHash", scenario.fileHash(),
                "userLocation", Map.of("lat", user.lat(), "lng", user.lng()), "eventId", eventId()));
        if (!reply.ok()) {
            return false;
        }
        if (chunkSize == 0) {
            chunkSize = reply.body().path("chunkSize").asLong();
            totalChunks = reply.body().path("totalChunks").asInt();
        }
        List<String> ids = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (JsonNode edge : reply.body().path("edges")) {
            String id = edge.path("edgeId").asString();
            if (failuresByEdge.getOrDefault(id, 0) < 2 || EDGE_OF_LAST_RESORT.equals(id)) {
                ids.add(id);
                w.add(edge.path("weight").asDouble());
            }
        }
        if (ids.isEmpty()) {
            ids.add(EDGE_OF_LAST_RESORT);
            w.add(1.0);
        }
        edgeIds = List.copyOf(ids);
        weights = w.stream().mapToDouble(Double::doubleValue).toArray();
        return chunkSize > 0 && totalChunks > 0;
    }

    static final String EDGE_OF_LAST_RESORT = "direct-storage";

    private void dropEdge(String edge) {
        int at = edgeIds.indexOf(edge);
        if (at < 0) {
            return;
        }
        weights[at] = 0;
    }

    private String pickEdge() {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        if (total <= 0) {
            return EDGE_OF_LAST_RESORT;
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return edgeIds.get(i);
            }
        }
        return edgeIds.get(edgeIds.size() - 1);
    }

    private long chunkBytes(int index) {
        long from = index * chunkSize;
        return Math.max(0, Math.min(chunkSize, scenario.fileSize() - from));
    }

    private Map<String, Object> upload(String action) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", action);
        body.put("eventId", eventId());
        if (sessionId != null) {
            body.put("sessionId", sessionId);
        }
        body.put("userId", scenario.user().userId());
        body.put("fileHash", scenario.fileHash());
        body.put("fileSize", scenario.fileSize());
        body.put("deviceId", deviceId);
        return body;
    }

    private String eventId() {
        return context.runId() + "-u" + scenario.index() + "-" + eventSeq++;
    }
}
