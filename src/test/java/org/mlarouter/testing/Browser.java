package org.mlarouter.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by its ChromeDriver through Selenium: a fresh profile, no network but loopback
 * (background networking off), a desktop window unless told otherwise. Waits are bounded and named.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final WebDriver driver;
    private final Path profile;

    public Browser() throws IOException {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are needed (.ci/run installs them: apt-get install chromium chromium-driver)");
        profile = Files.createTempDirectory("mla-router-chromium");
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        final ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    public Browser open(final String url) {
        driver.get(url);
        return this;
    }

    /** Waits up to {@code timeout} for {@code condition}, failing with {@code what}. */
    public <T> T await(final String what, final Duration timeout, final Function<WebDriver, T> condition) {
        // The console redraws its views every few seconds: an element found a moment ago may be gone, so look again.
        return new WebDriverWait(driver, timeout).withMessage("waiting for " + what).ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** The element of this id, once it is on the page. */
    public WebElement byId(final String id) {
        return await("element #" + id, Duration.ofSeconds(20), d -> d.findElements(By.id(id)).stream().findFirst().orElse(null));
    }

    /** Text of the element of this id, or null while there is none. */
    public String textOf(final String id) {
        try {
            return driver.findElements(By.id(id)).stream().findFirst().map(WebElement::getText).orElse(null);
        } catch (final StaleElementReferenceException e) {
            return null;
        }
    }

    /** Does {@code action} on the page, again if the element it used was redrawn meanwhile (at most five times). */
    public void retrying(final Runnable action) {
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                return;
            } catch (final StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    public String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public String pageSource() {
        return driver.getPageSource();
    }

    public Object script(final String javascript) {
        return ((JavascriptExecutor) driver).executeScript(javascript);
    }

    /** Whether the page is no wider than the window (nothing to scroll sideways). */
    public boolean fitsWidth() {
        return Boolean.TRUE.equals(script("return document.documentElement.scrollWidth <= window.innerWidth;"));
    }

    public Browser windowSize(final int width, final int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        return this;
    }

    /** A PNG of the window, written to {@code file}. */
    public void screenshot(final Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    public WebDriver driver() {
        return driver;
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (java.util.stream.Stream<Path> paths = Files.walk(profile)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
