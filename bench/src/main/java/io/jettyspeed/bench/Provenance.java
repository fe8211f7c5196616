package io.jettyspeed.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which code a report came from: the commit checked out ({@code git rev-parse HEAD}) and whether the
 * working tree had changes ({@code git status --porcelain}, untracked files included: a new source
 * file changes the build as much as an edited one).
 *
 * @param commit  full hash, or "unknown" outside a git checkout
 * @param branch  branch name, or "HEAD" when detached
 * @param changed paths git reports as changed or untracked
 */
public record Provenance(String commit, String branch, List<String> changed) {

    public boolean dirty() {
        return !changed.isEmpty();
    }

    /** "commit `0123456789ab` (clean tree)" or "... with uncommitted changes in 3 files". */
    public String describe() {
        String shortHash = commit.length() > 12 ? commit.substring(0, 12) : commit;
        return "commit `" + shortHash + "` on " + branch + (dirty()
                ? " with uncommitted changes in " + changed.size() + (changed.size() == 1 ? " file" : " files")
                : " (clean tree)");
    }

    public static Provenance of(Path repo) {
        String commit = git(repo, "rev-parse", "HEAD").trim();
        String branch = git(repo, "rev-parse", "--abbrev-ref", "HEAD").trim();
        return new Provenance(commit.isEmpty() ? "unknown" : commit, branch.isEmpty() ? "unknown" : branch,
                changedPaths(git(repo, "status", "--porcelain")));
    }

    /** Paths of {@code git status --porcelain} output: "XY path" per line, "XY old -> new" for renames. */
    static List<String> changedPaths(String porcelain) {
        return porcelain.lines().filter(l -> l.length() > 3).map(l -> {
            String path = l.substring(3);
            int arrow = path.indexOf(" -> ");
            return arrow < 0 ? path : path.substring(arrow + 4);
        }).toList();
    }

    private static String git(Path repo, String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
