package io.jettyspeed.gateway.users;

import io.jettyspeed.gateway.problems.FieldError;
import io.jettyspeed.gateway.problems.ProblemException;
import io.jettyspeed.gateway.security.Caller;
import io.jettyspeed.gateway.security.Scope;
import io.jettyspeed.gateway.state.AggregateViews;
import io.jettyspeed.gateway.state.FreshReads;
import io.jettyspeed.gateway.state.ViewKind;
import io.jettyspeed.gateway.text.Text;
import io.jettyspeed.schemas.UserStats;
import java.util.LinkedHashMap;
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
public class UserStatsController {

    private final AggregateViews views;
    private final FreshReads reads;

    public UserStatsController(AggregateViews views, FreshReads reads) {
        this.views = views;
        this.reads = reads;
    }

    @io.swagger.v3.oas.annotations.Parameter(in = io.swagger.v3.oas.annotations.enums.ParameterIn.HEADER,
            name = "Prefer", description = FreshReads.PREFER_DESCRIPTION, example = "wait=5")
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
        FreshReads.Lookup<UserStats> found = reads.lookup(ViewKind.USER_STATS, () -> views.userStats(userId));
        UserStats s = found.orElseNotFound("No stats for user '" + userId + "' are known");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", s.getUserId());
        body.put("plan", s.getPlan().name().toLowerCase(Locale.ROOT));
        body.put("quotaBytes", s.getQuotaBytes());
        body.put("storageUsedBytes", s.getStorageUsedBytes());
        body.put("quotaUsedPercent", s.getQuotaBytes() == 0 ? null
                : Math.round(10_000.0 * s.getStorageUsedBytes() / s.getQuotaBytes()) / 100.0);
        body.put("uploadsStarted", s.getUploadsStarted());
        body.put("uploadsCompleted", s.getUploadsCompleted());
        body.put("uploadsFailed", s.getUploadsFailed());
        body.put("uploadsExpired", s.getUploadsExpired());
        body.put("bytesUploaded", s.getBytesUploaded());
        body.put("dedupHits", s.getClones());
        body.put("bytesSaved", s.getBytesSaved());
        body.put("secondsSaved", s.getSecondsSaved());
        body.put("throughputBytesPerSecond", Map.of(
                "p50", nullable(s.getThroughputP50()), "p90", nullable(s.getThroughputP90()),
                "p99", nullable(s.getThroughputP99())));
        body.put("updatedAt", s.getUpdatedAt());
        body.put("asOf", found.read().asOfText());
        return body;
    }

    private static Object nullable(Double value) {
        return value == null ? "n/a" : value;
    }
}
