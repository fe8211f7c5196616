package io.jettyspeed.gateway.dashboard;

import io.jettyspeed.gateway.edges.EdgeHealthController;
import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.schemas.EdgeHealth;
import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.schemas.edges.EdgeLocation;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes edge health to the dashboards as it changes. The {@code edgeHealth} view calls
 * {@link #edgeChanged} on its consumer thread for every change; that only records the edge as
 * dirty and appends a history point. Every {@code flushInterval} the dirty edges (so at most one
 * update per edge per flush, however often the processors commit) and the new recommendation
 * shares are queued to every subscriber; the upload and dedup totals follow every
 * {@code totalsInterval} when some user's stats changed. Each subscriber is written by a sender
 * thread of its own turn and keeps only the newest pending value per key, so a slow browser
 * neither blocks the view nor the other subscribers, nor grows a backlog.
 *
 * <p>A {@link SmartLifecycle} in the last phase: its {@code stop()} runs before the web server's
 * graceful shutdown and completes every stream, so open dashboards never hold shutdown up.
 */
@Component
public class EdgeFeed implements SmartLifecycle, MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(EdgeFeed.class);

    private final AggregateViews views;
    private final DashboardProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, EdgeHistory> history = new ConcurrentHashMap<>();
    private final Set<String> dirtyEdges = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean usersChanged = new AtomicBoolean(true);
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;
    private final ThreadPoolExecutor senders;
    private volatile Map<String, Double> shares = Map.of();
    private volatile Map<String, Object> totals;
    private volatile boolean running;

    @Autowired
    public EdgeFeed(AggregateViews views, DashboardProperties properties, JsonMapper json) {
        this(views, properties, json, Clock.systemUTC());
    }

    EdgeFeed(AggregateViews views, DashboardProperties properties, JsonMapper json, Clock clock) {
        this.views = views;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        for (EdgeLocation edge : EdgeCatalog.EDGES) {
            history.put(edge.edgeId(), new EdgeHistory(properties.historyLength(),
                    properties.historyInterval().toMillis()));
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("dashboard-feed"));
        this.senders = new ThreadPoolExecutor(0, 16, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("dashboard-sse"));
        views.edgeHealth().addListener((key, previous, current) -> edgeChanged(key, current));
        views.userStatsView().addListener((key, previous, current) -> usersChanged.set(true));
        // Edges already in the view when this bean was created (the view may have started reading).
        views.edgeHealth().values().forEach(health -> edgeChanged(health.getEdgeId(), health));
    }

    void edgeChanged(String edgeId, EdgeHealth current) {
        EdgeHistory edgeHistory = history.get(edgeId);
        if (edgeHistory == null) {
            return;
        }
        if (current != null) {
            edgeHistory.add(new EdgeHistory.Point(clock.millis(), current.getScore(), current.getLatencyMs(),
                    EdgeHealthController.stateOf(current)));
        }
        dirtyEdges.add(edgeId);
    }

    /** Why a stream was not opened. */
    public enum Refusal {
        /** Every stream slot of the gateway is taken. */
        TOO_MANY_STREAMS,
        /** This key already has its share of streams. */
        TOO_MANY_FOR_KEY
    }

    /** A new stream or why there is none. */
    public record Subscription(SseEmitter emitter, Refusal refusal) {
    }

    /**
     * A new stream for a key: the full snapshot first, then changes. Refused when the gateway holds
     * {@code maxSubscribers} streams, or this key {@code maxSubscribersPerKey}.
     */
    public Subscription subscribe(String keyId, boolean withTotals) {
        SseEmitter emitter;
        Subscriber subscriber;
        synchronized (subscribers) {
            if (!running || subscribers.size() >= properties.maxSubscribers()) {
                return new Subscription(null, Refusal.TOO_MANY_STREAMS);
            }
            long ofKey = subscribers.stream().filter(s -> s.keyId.equals(keyId)).count();
            if (ofKey >= properties.maxSubscribersPerKey()) {
                return new Subscription(null, Refusal.TOO_MANY_FOR_KEY);
            }
            emitter = new SseEmitter(properties.streamTimeout().toMillis());
            subscriber = new Subscriber(emitter, keyId, withTotals);
            // Subscribed before the snapshot is taken: a change in between is sent again after it, never lost.
            subscribers.add(subscriber);
        }
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> {
            subscribers.remove(subscriber);
            emitter.complete();
        });
        emitter.onError(error -> subscribers.remove(subscriber));
        subscriber.offer("snapshot", "snapshot", snapshot(withTotals));
        return new Subscription(emitter, null);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("jetty.gateway.dashboard.streams", this, EdgeFeed::subscriberCount)
                .description("Open live edge streams (bounded by jetty.gateway.dashboard.max-subscribers)")
                .register(registry);
    }

    /** Open streams. */
    public int subscriberCount() {
        return subscribers.size();
    }

    /** Everything a page needs to draw itself: every edge with its history, the shares and the totals. */
    Map<String, Object> snapshot(boolean withTotals) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("serverTime", clock.millis());
        snapshot.put("caughtUp", views.isCaughtUp());
        snapshot.put("historyIntervalMs", properties.historyInterval().toMillis());
        snapshot.put("historyLength", properties.historyLength());
        snapshot.put("edges", EdgeCatalog.EDGES.stream().map(location -> {
            Map<String, Object> edge = describe(location);
            edge.put("history", history.get(location.edgeId()).points());
            return edge;
        }).toList());
        snapshot.put("shares", shares.isEmpty() ? RecommendationShares.of(views.edgeHealth().values()) : shares);
        if (withTotals) {
            snapshot.put("totals", totals != null ? totals : computeTotals());
        }
        return snapshot;
    }

    private Map<String, Object> describe(EdgeLocation location) {
        return new LinkedHashMap<>(EdgeHealthController.describe(location,
                views.edgeHealth().get(location.edgeId()).orElse(null)));
    }

    private Map<String, Object> computeTotals() {
        return DashboardTotals.of(views.userStatsView().values(), views.storedFileCount());
    }

    /** Pushes the edges that changed since the last flush, and the shares when they moved. */
    void flush() {
        if (dirtyEdges.isEmpty()) {
            return;
        }
        List<String> changed = List.copyOf(dirtyEdges);
        dirtyEdges.removeAll(changed);
        Map<String, Double> newShares = RecommendationShares.of(views.edgeHealth().values());
        boolean sharesMoved = !newShares.equals(shares);
        shares = newShares;
        if (subscribers.isEmpty()) {
            return;
        }
        for (String edgeId : changed) {
            EdgeLocation location = EdgeCatalog.find(edgeId).orElseThrow();
            Map<String, Object> edge = describe(location);
            edge.put("t", clock.millis());
            broadcast("edge", "edge:" + edgeId, edge, false);
        }
        if (sharesMoved) {
            broadcast("shares", "shares", newShares, false);
        }
    }

    void refreshTotals() {
        if (!usersChanged.getAndSet(false)) {
            return;
        }
        Map<String, Object> next = computeTotals();
        if (Objects.equals(next, totals)) {
            return;
        }
        totals = next;
        broadcast("totals", "totals", next, true);
    }

    private void heartbeat() {
        for (Subscriber subscriber : subscribers) {
            subscriber.offer("heartbeat", null, null);
        }
    }

    private void broadcast(String event, String key, Object data, boolean totalsOnly) {
        String body = json.writeValueAsString(data);
        for (Subscriber subscriber : subscribers) {
            if (!totalsOnly || subscriber.withTotals) {
                subscriber.offerJson(event, key, body);
            }
        }
    }

    @Override
    public void start() {
        running = true;
        ticker.scheduleWithFixedDelay(guard(this::flush), 0, properties.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(guard(this::refreshTotals), 0, properties.totalsInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(guard(this::heartbeat), properties.heartbeat().toMillis(),
                properties.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        ticker.shutdownNow();
        for (Subscriber subscriber : subscribers) {
            subscriber.emitter.complete();
        }
        subscribers.clear();
        senders.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("dashboard feed task failed: {}", e.toString());
            }
        };
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One open stream: the newest unsent value per key, written by at most one sender at a time. */
    private final class Subscriber {

        private final SseEmitter emitter;
        private final String keyId;
        private final boolean withTotals;
        private final LinkedHashMap<String, String[]> pending = new LinkedHashMap<>();
        private final AtomicBoolean sending = new AtomicBoolean();

        Subscriber(SseEmitter emitter, String keyId, boolean withTotals) {
            this.emitter = emitter;
            this.keyId = String.valueOf(keyId);
            this.withTotals = withTotals;
        }

        void offer(String event, String key, Object data) {
            offerJson(event, key, data == null ? null : json.writeValueAsString(data));
        }

        void offerJson(String event, String key, String body) {
            synchronized (pending) {
                if (key == null) {
                    // at most one heartbeat waits: a stalled reader does not pile them up
                    pending.putIfAbsent("#heartbeat", new String[] {event, null});
                } else {
                    pending.remove(key);
                    pending.put(key, new String[] {event, body});
                }
            }
            kick();
        }

        private void kick() {
            if (!sending.compareAndSet(false, true)) {
                return;
            }
            try {
                senders.execute(this::drain);
            } catch (RejectedExecutionException busy) {
                sending.set(false); // every sender is busy; the next change tries again
            }
        }

        private void drain() {
            try {
                while (true) {
                    List<String[]> batch;
                    synchronized (pending) {
                        if (pending.isEmpty()) {
                            sending.set(false);
                            return;
                        }
                        batch = List.copyOf(pending.values());
                        pending.clear();
                    }
                    for (String[] message : batch) {
                        if (message[1] == null) {
                            emitter.send(SseEmitter.event().comment("heartbeat"));
                        } else {
                            emitter.send(SseEmitter.event().name(message[0]).data(message[1]));
                        }
                    }
                }
            } catch (IOException | IllegalStateException gone) {
                subscribers.remove(this);
                sending.set(false);
                try {
                    emitter.completeWithError(gone);
                } catch (RuntimeException ignored) {
                    // already completed
                }
            }
        }
    }
}
