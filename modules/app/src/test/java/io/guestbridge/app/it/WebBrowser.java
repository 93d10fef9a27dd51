package io.guestbridge.app.it;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's headless Chromium through its chromedriver, with JavaScript off (the test's own probes, axe among them,
 * switch it on only while they run), a language of its own, and the checks every page gets: axe-core at WCAG 2.2
 * AA finds nothing, and the page is photographed at phone and desktop widths into target/screenshots.
 */
final class WebBrowser implements AutoCloseable {

    static final List<String> WCAG_22_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");
    static final Path SCREENSHOTS = Path.of(System.getProperty("guestbridge.it.home")).getParent().resolve("screenshots");

    final ChromeDriver driver;
    private final Deployed app;
    private final String screenshotPrefix;

    WebBrowser(Deployed app, String language, String screenshotPrefix) {
        this.app = app;
        this.screenshotPrefix = screenshotPrefix;
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000",
                "--lang=" + language);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        scripts(false);
        driver.get("data:text/html,<title>before</title><script>document.title='after'</script>");
        assertEquals("before", driver.getTitle(), "JavaScript is disabled in the test browser");
    }

    void scripts(boolean on) {
        driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", !on));
    }

    void open(String path) {
        driver.get(app.uri(path).toString());
    }

    /** Clicks a button or link and waits for the next page (the old one gone, the next one with a body). */
    void click(By by) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(by).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            try {
                page.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return !d.findElements(By.tagName("body")).isEmpty();
            }
        });
    }

    String text(By by) {
        return driver.findElement(by).getText().strip();
    }

    boolean has(By by) {
        return !driver.findElements(by).isEmpty();
    }

    void type(By by, String value) {
        WebElement field = driver.findElement(by);
        field.clear();
        field.sendKeys(value);
    }

    /** The path and query of the page the browser shows. */
    String path() {
        String url = driver.getCurrentUrl();
        String origin = app.uri("/").toString();
        return url.startsWith(origin) ? url.substring(origin.length() - 1) : url;
    }

    /** Every link, image, stylesheet and form of the page stays on this origin. */
    void sameOriginOnly() {
        String origin = app.uri("/").toString();
        for (WebElement element : driver.findElements(By.cssSelector("[src], [href], form[action]"))) {
            String attribute = element.getAttribute("src") != null ? "src" : element.getAttribute("href") != null ? "href" : "action";
            String target = element.getAttribute(attribute);
            assertTrue(target.startsWith(origin), "another origin: " + target);
        }
    }

    void check(String page, String language) throws Exception {
        scripts(true);
        Results results;
        try {
            results = new AxeBuilder().withTags(WCAG_22_AA).analyze(driver);
        } finally {
            scripts(false);
        }
        assertTrue(results.getErrorMessage() == null, page + ": axe did not run: " + results.getErrorMessage());
        assertTrue(results.getViolations().isEmpty(), page + " (" + language + "): " + results.getViolations().stream()
                .map(WebBrowser::describe).collect(Collectors.joining("; ")));
        assertTrue(results.getPasses().size() > 3, "axe really looked at " + page + ": " + results.getPasses().size() + " rules passed");
        Files.createDirectories(SCREENSHOTS);
        for (int width : new int[] {375, 1280}) {
            driver.manage().window().setSize(new Dimension(width, width < 600 ? 1400 : 1000));
            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(screenshotPrefix + "-" + page + "-" + language + "-" + (width < 600 ? "phone" : "desktop") + ".png"), png);
        }
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    private static String describe(Rule rule) {
        return rule.getId() + " (" + rule.getHelp() + ") at " + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
