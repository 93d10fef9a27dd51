package io.guestbridge.app.it;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's headless Chromium through its chromedriver, with JavaScript off (the test's own probes, axe among them,
 * switch it on only while they run), a language of its own, a client address of its own, and the checks every page
 * of the privacy center and the console gets: axe-core at WCAG 2.2 AA finds nothing, the page reflows at 320 CSS
 * pixels and at 200 % zoom, and it is photographed at 320 px, phone and desktop widths into target/screenshots.
 */
final class WebBrowser implements AutoCloseable {

    static final List<String> WCAG_22_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");
    static final Path SCREENSHOTS = Path.of(System.getProperty("guestbridge.it.home")).getParent().resolve("screenshots");

    final ChromeDriver driver;
    final Deployed app;
    private final String screenshotPrefix;

    /**
     * @param screenshotPrefix the page set, first word of every screenshot's name ({@code privacy}, {@code console})
     */
    WebBrowser(Deployed app, String language, String screenshotPrefix) {
        this.app = app;
        this.screenshotPrefix = screenshotPrefix;
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000",
                "--lang=" + language);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        // the driver's and the browser's temporary directories (a profile, a crash handler's) where the test JVM keeps its
        // own, under target/: Chromium leaves some behind after quitting, and there mvn clean removes them
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .withEnvironment(Map.of("TMPDIR", System.getProperty("java.io.tmpdir"))).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        // each browser is its own client for the limits on guessing (the server trusts 127.0.0.1 as a proxy)
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("X-Forwarded-For", testNetAddress(),
                "Accept-Language", language)));
        scripts(false);
        // JavaScript is really off: a page's own script does not run
        driver.get("data:text/html,<title>before</title><script>document.title='after'</script>");
        assertEquals("before", driver.getTitle(), "JavaScript is disabled in the test browser");
    }

    /** A client address of its own (TEST-NET-2), so that the limits on guessing count each browser or test apart. */
    static String testNetAddress() {
        return "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
    }

    void scripts(boolean on) {
        driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", !on));
    }

    void open(String path) {
        driver.get(app.uri(path).toString());
    }

    /** Clicks a button or link and waits for the next page. */
    void click(By by) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(by).click();
        awaitNextPage(page);
    }

    /** Presses keys and waits for the next page. */
    void keysToNextPage(CharSequence... keys) {
        WebElement page = driver.findElement(By.tagName("html"));
        keys(keys);
        awaitNextPage(page);
    }

    /**
     * The old page is gone (Chromium answers a probe of its element as stale, or as not in the document) and the next one
     * has a body, and a heading once it has one (an identity provider's page may have none).
     */
    private void awaitNextPage(WebElement old) {
        new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(50)).until(d -> {
            try {
                old.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return !d.findElements(By.tagName("body")).isEmpty();
            }
        });
        try {
            new WebDriverWait(driver, Duration.ofSeconds(2), Duration.ofMillis(50)).until(d -> !d.findElements(By.tagName("h1")).isEmpty());
        } catch (TimeoutException noHeading) {
            // a page without a heading: the callers' own assertions say whether that is right
        }
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

    void keys(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /** Moves the focus with the Tab key alone until it reaches the element (at most 40 presses). */
    void tabTo(By by) {
        WebElement target = driver.findElement(by);
        for (int i = 0; i < 40; i++) {
            if (driver.switchTo().activeElement().equals(target)) {
                return;
            }
            keys(Keys.TAB);
        }
        throw new AssertionError("the keyboard never reached " + by);
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

    /** axe-core at WCAG 2.2 AA finds nothing; the page reflows; it is photographed at 320 px, phone and desktop widths. */
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
        reflows(page, language);
        for (int width : new int[] {375, 1280}) {
            driver.manage().window().setSize(new Dimension(width, width < 600 ? 1400 : 1000));
            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            Files.write(screenshot(page, language, width < 600 ? "phone" : "desktop"), png);
        }
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    /**
     * WCAG 1.4.10 and 1.4.4: at 320 CSS pixels wide, and at 200 % zoom of a 1280 px window (640 CSS pixels at two device
     * pixels each), the page does not scroll sideways and nothing sticks out of the viewport or is clipped; data tables may
     * scroll inside their own region (which itself must fit).
     */
    void reflows(String page, String language) throws Exception {
        for (int[] metrics : new int[][] {{320, 1}, {640, 2}}) {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", metrics[0], "height", 900, "deviceScaleFactor",
                    metrics[1], "mobile", false));
            try {
                scripts(true);
                Object offenders;
                try {
                    offenders = driver.executeScript(REFLOW_PROBE);
                } finally {
                    scripts(false);
                }
                assertEquals(List.of(), offenders, page + " (" + language + ") at " + metrics[0] + " CSS px, " + metrics[1] * 100 + " %");
                if (metrics[0] == 320) {
                    Files.write(screenshot(page, language, "320"), driver.getScreenshotAs(OutputType.BYTES));
                }
            } finally {
                driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            }
        }
    }

    private Path screenshot(String page, String language, String width) {
        return SCREENSHOTS.resolve(screenshotPrefix + "-" + page + "-" + language + "-" + width + ".png");
    }

    /** What sticks out at the current width: the page scrolling sideways, an element beyond the viewport, or content clipped. */
    private static final String REFLOW_PROBE = """
            const width = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > width) {
              out.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
            }
            for (const e of document.querySelectorAll('body *')) {
              if ((e.parentElement && e.parentElement.closest('.scroll')) || e.closest('.skip') || e.closest('.visually-hidden')) {
                continue;
              }
              const r = e.getBoundingClientRect();
              if (r.width === 0 && r.height === 0) {
                continue;
              }
              const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className : '');
              if (r.right > width + 1 || r.left < -1) {
                out.push(name + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right));
              }
              const style = getComputedStyle(e);
              // a text field scrolls its own value, as every text field does: only boxes that cut their content count
              if (!['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName)
                  && (style.overflowX === 'hidden' || style.overflowX === 'clip') && e.scrollWidth > e.clientWidth + 1) {
                out.push(name + ' clips its content');
              }
            }
            return out.slice(0, 10);
            """;

    private static String describe(Rule rule) {
        return rule.getId() + " (" + rule.getHelp() + ") at " + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
