package io.jettyspeed.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.jettyspeed.schemas.edges.EdgeCatalog;
import io.jettyspeed.simulator.Simulator;
import io.jettyspeed.simulator.SimulatorOptions;
import io.jettyspeed.testing.GatewayHttp;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real browser (headless Chromium from the distribution, driven by its
 * chromedriver; nothing is downloaded) against the whole local pipeline: before any probe has
 * reported, every edge shows as unprobed with its share of the traffic; the page loads without
 * console errors and shows all twenty edges live; five failed chunks through one edge, sent
 * through the API, show it ejected within seconds; under simulated traffic the totals fill up.
 * Leaves a screenshot in {@code target/dashboard.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    static final String LOCAL_KEY = ThrowawayPipeline.LOCAL_KEY;
    static final Path CHROMIUM = Path.of(System.getProperty("jetty.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("jetty.chromedriver", "/usr/bin/chromedriver"));

    @TempDir
    static Path dataDir;
    @TempDir
    static Path browserProfile;

    static ThrowawayPipeline pipeline;
    static GatewayHttp http;
    static int port;
    static WebDriver browser;
    static ScheduledExecutorService probes;

    @BeforeAll
    static void startPipelineAndBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser test needs Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install -y chromium chromium-driver (.ci/run does this), or point "
                    + "-Djetty.chromium / -Djetty.chromedriver at them.");
        }
        pipeline = ThrowawayPipeline.start(dataDir);
        port = pipeline.gatewayPort();
        http = pipeline.http();
        browser = chromium();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        stopProbes();
        if (browser != null) {
            browser.quit();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(0)
    void shouldShowEveryEdgeUnprobedWithAShareBeforeAnyProbeHasReported() {
        // when: the page opens on the fresh pipeline, before any probe has reported
        browser.get("http://localhost:" + port + "/dashboard#key=" + LOCAL_KEY);

        // then: every edge unprobed, at the prior score, each recommended to the clients near it
        awaitEveryEdgeLive("unprobed", Duration.ofSeconds(60));
        assertThat(edgeRows()).extracting(row -> row.getAttribute("data-unprobed")).containsOnly("true");
        assertThat(text(By.cssSelector("tr[data-edge-id=edge-fra] .badge"))).isEqualTo("unprobed");
        assertThat(text(By.cssSelector("tr[data-edge-id=edge-fra] .score-value"))).isEqualTo("0.50");
        assertThat(text(By.cssSelector("tr[data-edge-id=edge-fra] .share"))).isNotEqualTo("0%");
        assertThat(text(By.cssSelector("tr[data-edge-id=edge-fra] .why"))).startsWith("no probe has reported yet");
        assertThat(browser.findElement(By.cssSelector("#map circle[data-edge-id=edge-fra]")).getAttribute("class"))
                .contains("unprobed");
        assertThat(text(By.id("t-edges"))).isEqualTo("0 / 20 healthy");
        assertThat(text(By.id("t-edge-states"))).endsWith("20 unprobed");
        assertNoConsoleErrors();
        browser.get("about:blank"); // the next test opens the page anew
    }

    @Test
    @Order(1)
    void shouldShowEveryEdgeLiveWithoutConsoleErrors() {
        // given: the probes of all twenty edges report a healthy edge every second
        probes = Executors.newSingleThreadScheduledExecutor();
        probes.scheduleAtFixedRate(DashboardBrowserIT::reportAllHealthy, 0, 1, TimeUnit.SECONDS);

        // when: the page opens with the key in the fragment (which the browser never sends to the server)
        browser.get("http://localhost:" + port + "/dashboard#key=" + LOCAL_KEY);

        // then: all twenty edges, live and healthy
        awaitEveryEdgeLive("healthy", Duration.ofSeconds(90));
        assertThat(edgeRows()).extracting(row -> row.getAttribute("data-edge-id"))
                .containsExactlyElementsOf(EdgeCatalog.EDGES.stream().map(e -> e.edgeId()).toList());
        assertThat(browser.findElements(By.cssSelector("#map circle.edge"))).hasSize(20);
        assertThat(text(By.cssSelector("tr[data-edge-id=edge-syd] .latency"))).endsWith("ms");
        assertThat(text(By.id("t-edges"))).isEqualTo("20 / 20 healthy");
        assertThat(browser.getCurrentUrl()).as("the key is taken out of the address bar").doesNotContain("ac_");
        assertNoConsoleErrors();
    }

    @Test
    @Order(2)
    void shouldShowAnEdgeEjectedWithinSecondsOfFiveFailedChunksThroughIt() {
        // given
        assertThat(browser.findElement(By.cssSelector("tr[data-edge-id=edge-syd]")).getAttribute("data-state"))
                .isEqualTo("healthy");

        // when: five chunk uploads through Sydney fail
        for (int i = 0; i < 5; i++) {
            var reply = http.post("/api/jetty/cache-chunk", LOCAL_KEY, """
                    {"sessionId":"sess_browser_it","chunkIndex":%d,"status":"failed","userId":"usr_browser",
                     "edgeId":"edge-syd","chunkSize":4194304,"durationMs":30000,"totalChunks":10}""".formatted(i));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        }
        long sent = System.nanoTime();

        // then: within seconds the page shows it ejected, on the map too, with no share of the traffic
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(browser.findElement(By.cssSelector("tr[data-edge-id=edge-syd]")).getAttribute("data-state"))
                    .isEqualTo("ejected");
        });
        System.out.printf("edge-syd shown ejected %d ms after the fifth failed chunk%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(text(By.cssSelector("tr[data-edge-id=edge-syd] .badge"))).isEqualTo("ejected");
            assertThat(text(By.cssSelector("tr[data-edge-id=edge-syd] .share"))).isEqualTo("0%");
            assertThat(browser.findElement(By.cssSelector("#map circle[data-edge-id=edge-syd]")).getAttribute("class"))
                    .contains("ejected");
            assertThat(text(By.cssSelector("tr[data-edge-id=edge-syd] .why"))).contains("ejected until");
        });
        assertNoConsoleErrors();
    }

    @Test
    @Order(3)
    void shouldFillTheTotalsUnderSimulatedTrafficWithEveryRequestAccepted() throws Exception {
        // given: the simulator replaces the test's probes
        stopProbes();
        SimulatorOptions options = SimulatorOptions.defaults(URI.create("http://localhost:" + port), LOCAL_KEY)
                .withRate(240).withDuration(Duration.ofSeconds(30)).withCycle(Duration.ofSeconds(40))
                .withRunId("browserit");

        // when
        try (Simulator simulator = new Simulator(options, line -> System.out.println("simulator: " + line))) {
            simulator.start();

            // then: uploads complete and the page's totals show them, live
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(simulator.stats().uploadsCompleted.sum()).isPositive();
                assertThat(text(By.id("t-completed"))).isNotIn("–", "0");
                assertThat(text(By.id("t-bytes"))).doesNotStartWith("0 ");
            });
            assertThat(simulator.awaitFinished(Duration.ofSeconds(90))).isTrue();
            assertThat(simulator.stats().rejected.sum()).as("requests the gateway refused").isZero();
            assertThat(simulator.stats().unreachable.sum()).isZero();
            assertThat(simulator.stats().probeBatches.sum()).isGreaterThan(20);
            assertThat(simulator.stats().instantClones.sum() + simulator.stats().uploadsResumed.sum()).isPositive();
        }
        Path screenshot = Path.of("target", "dashboard.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                StandardCopyOption.REPLACE_EXISTING);
        assertNoConsoleErrors();
    }

    private static void reportAllHealthy() {
        String samples = EdgeCatalog.EDGES.stream().map(edge -> """
                {"edgeId":"%s","latencyMs":40,"bandwidthMbps":800,"load":0.3,"errorRate":0.0}""".formatted(edge.edgeId()))
                .collect(Collectors.joining(","));
        try {
            http.post("/api/jetty/edge-metrics", LOCAL_KEY, "{\"samples\":[" + samples + "]}");
        } catch (RuntimeException e) {
            System.err.println("probe report failed: " + e);
        }
    }

    private static void stopProbes() throws InterruptedException {
        if (probes != null) {
            probes.shutdownNow();
            probes.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Waits until the page is live and lists every catalogued edge, each in {@code state}. */
    private static void awaitEveryEdgeLive(String state, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(text(By.id("connection"))).isEqualTo("live");
            assertThat(edgeRows()).hasSize(EdgeCatalog.EDGES.size())
                    .extracting(row -> row.getAttribute("data-state")).containsOnly(state);
        });
    }

    private static List<WebElement> edgeRows() {
        return browser.findElements(By.cssSelector("#edges tbody tr"));
    }

    private static String text(By by) {
        return browser.findElement(by).getText().trim();
    }

    private static void assertNoConsoleErrors() {
        List<LogEntry> entries = browser.manage().logs().get(LogType.BROWSER).getAll();
        entries.forEach(entry -> System.out.println("browser console: " + entry));
        assertThat(entries).filteredOn(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .as("browser console errors").isEmpty();
    }

    /** Debian's Chromium through its own chromedriver, headless, with a throw-away profile. */
    private static WebDriver chromium() {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1440,1700", "--user-data-dir=" + browserProfile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
