package io.jettyspeed.gateway.dedup;

import io.jettyspeed.gateway.GatewayProperties;
import io.jettyspeed.gateway.GatewayProperties.DedupScope;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.state.FreshReads;
import io.jettyspeed.gateway.state.ViewKind;
import io.jettyspeed.schemas.DedupCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * Answers dedup checks in the configured scope ({@code jetty.gateway.dedup-scope}). Only a hit is
 * worth publishing: the processors turn exactly a {@code check-duplicate} hit into an instant clone,
 * so a miss (or an {@code optimal-edges} question) is a pure read that waits on no write.
 *
 * <p>A miss the index cannot vouch for yet (its watermark is before the question) waits as the
 * request asks ({@code Prefer: wait}) or the default wait allows, for the watermark to pass or a hit
 * to appear, and then answers {@code indexed} or {@code pending} (see {@link DedupAnswer}).
 * Metric: {@code jetty.gateway.dedup.answers{state}} ({@code hit}, {@code miss}: an indexed miss,
 * {@code pending}, {@code unknown}).
 */
@Component
public class DedupChecks {

    private static final FreshReads.Read NOT_FRESH = new FreshReads.Read(Optional.empty(), false);

    // Looked up once (a bean factory look-up per request was 7 % of a read's CPU); absent beans are asked again.
    private final Supplier<FileIndexView> fileIndex;
    private final Supplier<FreshReads> reads;
    private final DedupScope scope;
    private final Set<ViewKind> views;
    private final Map<String, Counter> answers;

    public DedupChecks(ObjectProvider<FileIndexView> fileIndex, ObjectProvider<FreshReads> reads,
            GatewayProperties properties, MeterRegistry registry) {
        this.fileIndex = SingletonSupplier.of(() -> fileIndex.getIfUnique(UnavailableFileIndexView::new));
        this.reads = SingletonSupplier.of(reads::getIfUnique);
        this.scope = properties.dedupScope();
        // in user scope a hit may also come from the user's own completed upload, in the sessions copy
        this.views = scope == DedupScope.USER ? EnumSet.of(ViewKind.FILE_INDEX, ViewKind.UPLOAD_SESSIONS)
                : EnumSet.of(ViewKind.FILE_INDEX);
        this.answers = Map.of(
                "hit", counter(registry, "hit"), "miss", counter(registry, "miss"),
                "pending", counter(registry, "pending"), "unknown", counter(registry, "unknown"));
    }

    public DedupAnswer answer(Caller caller, DedupCheck check) {
        FileIndexView index = fileIndex.get();
        FreshReads fresh = reads.get();
        String userId = check.getUserId();
        String hash = check.getFileHash();
        if (fresh == null) {
            return count(DedupAnswer.of(index, scope, caller, userId, hash, NOT_FRESH));
        }
        Instant askedAt = fresh.askedAt();
        DedupAnswer answer = DedupAnswer.of(index, scope, caller, userId, hash, fresh.now(views, askedAt));
        if (answer.isPending()) {
            FreshReads.Read read = fresh.await(views, askedAt,
                    () -> DedupAnswer.of(index, scope, caller, userId, hash, NOT_FRESH).isDuplicate());
            answer = DedupAnswer.of(index, scope, caller, userId, hash, read);
        }
        return count(answer);
    }

    private DedupAnswer count(DedupAnswer answer) {
        String state = answer.isDuplicate() ? "hit" : DedupAnswer.INDEXED.equals(answer.state()) ? "miss" : answer.state();
        answers.get(state).increment();
        return answer;
    }

    private static Counter counter(MeterRegistry registry, String state) {
        return Counter.builder("jetty.gateway.dedup.answers")
                .description("Dedup answers (check-duplicate, optimal-edges, batch checks) by state: a hit, an indexed "
                        + "miss, a miss the index could not vouch for yet (pending), or no index (unknown)")
                .tag("state", state).register(registry);
    }
}
