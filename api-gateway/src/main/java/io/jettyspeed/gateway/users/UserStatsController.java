package io.jettyspeed.gateway.users;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.ProblemException;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.gateway.state.FreshReads;
import io.jettyspeed.gateway.state.PreferWait;
import io.jettyspeed.gateway.state.RecordAnswer;
import io.jettyspeed.gateway.state.ViewKind;
import io.jettyspeed.gateway.text.Text;
import io.jettyspeed.schemas.UserStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's own upload and dedup totals, and storage against the plan quota, with {@code asOf}: every
 * event acknowledged before it is counted. {@code Prefer: wait=<seconds>} waits for the copy to count
 * everything acknowledged before the question; a 404 says whether the user may simply not be
 * processed yet.
 */
@RestController
public record UserStatsController(AggregateViews views, FreshReads reads) {

    @PreferWait
    @GetMapping("/api/jetty/users/{userId}/stats")
    public Map<String, Object> stats(@PathVariable String userId, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require("read user stats", Scope.CLIENT, Scope.ANALYST);
        if (!Text.isId(userId)) {
            throw ProblemException.invalid(List.of(new FieldError("userId",
                    "must be 1-128 letters, digits or _ . : @ - and start with a letter or digit")));
        }
        if (caller.isBoundToUser() && !caller.userId().equals(userId)) {
            throw ProblemException.forbidden("A client key may only read its own user's stats.", List.of());
        }
        return reads.lookup(ViewKind.USER_STATS, () -> views.userStats(userId))
                .answer("No stats for user '" + userId + "' are known", UserStatsController::describe);
    }

    private static Map<String, Object> describe(UserStats s) {
        return RecordAnswer.of(s)
                .copy("userId")
                .put("plan", s.getPlan().name().toLowerCase(Locale.ROOT))
                .copy("quotaBytes", "storageUsedBytes")
                .put("quotaUsedPercent", s.getQuotaBytes() == 0 ? null
                        : Math.round(10_000.0 * s.getStorageUsedBytes() / s.getQuotaBytes()) / 100.0)
                .copy("uploadsStarted", "uploadsCompleted", "uploadsFailed", "uploadsExpired", "bytesUploaded")
                .put("dedupHits", s.getClones())
                .copy("bytesSaved", "secondsSaved")
                .put("throughputBytesPerSecond", Map.of(
                        "p50", nullable(s.getThroughputP50()), "p90", nullable(s.getThroughputP90()),
                        "p99", nullable(s.getThroughputP99())))
                .copy("updatedAt")
                .body();
    }

    private static Object nullable(Double value) {
        return value == null ? "n/a" : value;
    }
}
