package io.galapagos.deploy.web;

import io.galapagos.controller.generation.FakeOpenAiServer;
import io.galapagos.deploy.CliRun;
import io.galapagos.deploy.faults.NodeProcesses;
import io.galapagos.deploy.faults.PausingTask;
import io.galapagos.simulators.AdrsData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser (Debian's Chromium, driven through its WebDriver): a live run's page
 * grows without reloading, a candidate opens with its coloured code and its diff, and a finished run's
 * lineage tree has a node for every candidate the API lists. Screenshots go to {@code target/screenshots}.
 */
// integration lane: Chromium driving the dashboard of a node process
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final long ITERATIONS = 60;

    @RegisterExtension
    final NodeProcesses processes = new NodeProcesses();

    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): apt-get install chromium chromium-driver";
            if (AdrsData.underCi()) {
                throw new IllegalStateException(message + " (CI is set: .ci/run installs them)");
            }
            System.err.println("SKIPPED, NO BROWSER: " + message);
            Assumptions.abort(message);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30)).pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theRunsPageGrowsLiveOpensACandidateWithItsDiffAndShowsEveryCandidateInTheLineageTree(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        Path config = dir.resolve("slow.conf");
        // each split pauses 150 ms: the run lives long enough to watch it grow
        Files.writeString(config, "galapagos.run.data-seed = 150\ngalapagos.worker.slots = 1\n");
        NodeProcesses.Child run = processes.start("run", List.of("run", "--task", PausingTask.ID, "--iterations",
                Long.toString(ITERATIONS), "--islands", "2", "--out", out.toString(), "--config", config.toString(),
                "--http-port", "0"), Map.of());
        DashboardClient dashboard = DashboardClient.announcedBy(run, Duration.ofMinutes(2));

        // one run: the page goes straight to it
        browser.get(dashboard.base());
        await().atMost(Duration.ofMinutes(1)).until(() -> browser.getCurrentUrl().contains("#/run/run"));
        await().atMost(Duration.ofMinutes(1)).until(() -> evaluated() >= 3);
        ((JavascriptExecutor) browser).executeScript("window.galapagosTestMarker = 'still the same page';");
        int before = evaluated();
        String curveBefore = curve();
        await().atMost(Duration.ofMinutes(1)).until(() -> evaluated() >= before + 5 && !curve().equals(curveBefore));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.galapagosTestMarker;"))
                .as("the page grew from its stream, without reloading").isEqualTo("still the same page");
        assertThat(browser.findElements(By.cssSelector("#progress path.best-line"))).hasSize(2);
        screenshot("dashboard-live");

        // a candidate with a parent: its code coloured, its diff against the parent
        WebElement row = await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(
                By.cssSelector("#candidates tr.candidate-row")).stream()
                .filter(r -> !r.getAttribute("data-id").endsWith("/0")).findFirst().orElse(null), r -> r != null);
        String candidateId = row.getAttribute("data-id");
        row.findElement(By.tagName("a")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("#candidate-code")).size() == 1
                && !browser.findElement(By.cssSelector("#candidate-code")).getText().isBlank());
        assertThat(browser.findElement(By.id("candidate")).getText()).contains(candidateId);
        assertThat(browser.findElements(By.cssSelector("#candidate-code .tok-kw"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#candidate-diff span.add"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#candidate-diff span.del"))).isNotEmpty();
        screenshot("dashboard-candidate");

        assertThat(run.awaitExit(Duration.ofMinutes(3))).as(run.stderr()).isZero();

        // the finished run, served from its folder: the tree has a node for every candidate
        NodeProcesses.Child served = processes.start("dashboard", List.of("dashboard", "--out", out.toString(),
                "--http-port", "0"), Map.of());
        DashboardClient finished = DashboardClient.announcedBy(served, Duration.ofMinutes(2));
        int nodes = finished.json("api/runs/run/lineage").path("nodes").size();
        browser.get(finished.base() + "#/run/run");
        await().atMost(Duration.ofMinutes(1)).until(() -> browser.findElement(By.id("phase")).getText().contains("COMPLETED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("#lineage circle.node")).size(),
                count -> count == nodes);
        assertThat(nodes).isGreaterThanOrEqualTo((int) ITERATIONS);
        assertThat(evaluated()).isEqualTo((int) ITERATIONS);
        screenshot("dashboard-finished");
        served.signal("TERM");
        assertThat(served.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    @Test
    void textThatCandidatesAndModelsWroteIsShownAsTextAndNeverRuns(@TempDir Path dir) throws Exception {
        String attack = "<img src=x onerror=\"window.galapagosPwned=1\"><script>window.galapagosPwned=2</script>";
        Path out = dir.resolve("out");
        try (FakeOpenAiServer model = FakeOpenAiServer.start()) {
            model.respondWith(request -> {
                java.util.regex.Matcher value = java.util.regex.Pattern.compile("return (-?[0-9.]+);")
                        .matcher(request.currentProgram());
                assertThat(value.find()).isTrue();
                return FakeOpenAiServer.answer("Raise it " + attack + "\n<<<<<<< SEARCH\n        " + value.group()
                        + "\n=======\n        // " + attack + "\n        return " + (Double.parseDouble(value.group(1)) + 7)
                        + ";\n>>>>>>> REPLACE\n");
            });
            Path config = dir.resolve("model.conf");
            Files.writeString(config, String.join("\n", "galapagos.worker.slots = 1", "galapagos.generation {",
                    "  llm = openai", "  api-base = \"" + model.baseUrl() + "\"", "  api-key-env = GALAPAGOS_TEST_API_KEY",
                    "  models = [{ name = fake-coder, max-tokens = 1000, request-timeout = 5s }]", "}", ""));
            CliRun.Outcome run = CliRun.galapagos("run", "--task", "noop", "--iterations", "3", "--islands", "1",
                    "--out", out.toString(), "--config", config.toString(), "--no-http");
            assertThat(run.exitCode()).as(run.err()).isZero();
        }
        NodeProcesses.Child served = processes.start("dashboard", List.of("dashboard", "--out", out.toString(),
                "--http-port", "0"), Map.of());
        DashboardClient dashboard = DashboardClient.announcedBy(served, Duration.ofMinutes(2));

        browser.get(dashboard.base() + "#/run/run/candidate/" + java.net.URLEncoder.encode("run/0/1",
                java.nio.charset.StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.id("candidate-code")).size() == 1
                && browser.findElement(By.id("candidate-code")).getText().contains("onerror"));

        assertThat(browser.findElement(By.id("candidate")).getText()).contains(attack);
        assertThat(browser.findElement(By.id("candidate-diff")).getText()).contains(attack);
        assertThat(browser.findElements(By.cssSelector("#candidate img, #candidate script"))).isEmpty();
        browser.get(dashboard.base() + "#/run/run");
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("#candidates tr.candidate-row")).size() >= 3);
        assertThat(browser.findElement(By.id("candidates")).getText()).contains("Raise it <img");
        assertThat(browser.findElements(By.cssSelector("#main img, #main script"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.galapagosPwned === undefined;"))
                .as("no text of a candidate or a model ran as markup").isEqualTo(true);
        screenshot("dashboard-hostile-text");
        served.signal("TERM");
        assertThat(served.awaitExit(Duration.ofSeconds(30))).isZero();
    }

    private int evaluated() {
        List<WebElement> counter = browser.findElements(By.id("evaluated"));
        if (counter.isEmpty()) {
            return -1;
        }
        String text = counter.get(0).getText().replaceAll("[^0-9]", "");
        return text.isEmpty() ? -1 : Integer.parseInt(text);
    }

    /** The best-so-far curves' paths, read in one script: the live page may replace them between two calls. */
    private String curve() {
        return String.valueOf(((JavascriptExecutor) browser).executeScript("return Array.from(document"
                + ".querySelectorAll('#progress path.best-line')).map(p => p.getAttribute('d')).join('');"));
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
