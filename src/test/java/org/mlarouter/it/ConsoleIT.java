package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.Route;
import org.mlarouter.config.HttpKeys;
import org.mlarouter.net.Ports;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.Browser;
import org.mlarouter.testing.Cli;
import org.mlarouter.testing.Decisions;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.testing.RouterUnderTest;
import org.mlarouter.testing.SampleRequests;
import org.mlarouter.testing.UsersFiles;
import org.mlarouter.treaty.TreatyTable;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.openqa.selenium.By;

/**
 * The web console in a real browser (Debian's Chromium, headless, through Selenium) against a real router and broker:
 * the overview's numbers move as requests are decided; a signed-out visitor and a read-only console show no personal
 * data and offer no action; a reviewer signs in, accepts one request and refuses another through the pages, and the
 * final decisions land on their topics; the pages fit a phone's width; forms refuse forged posts. The screenshots go to
 * {@code target/console/}, from where docs/console/ takes them.
 */
class ConsoleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target/console");
    private static final Duration PAGE = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaStack KAFKA = KafkaStack.plain();

    @TempDir
    Path workDir;

    @Test
    void shouldShowTheDecisionsLiveReadOnlyAndFitAPhone() throws Exception {
        final RouterUnderTest app = KAFKA.router("console-overview", 3).publishShippedTreaties();
        final int port = Ports.free();
        final String url = "http://127.0.0.1:" + port;
        try (Cli.Background router = app.startInJvm(workDir.resolve("state"), "--http-port", String.valueOf(port)); Browser browser = new Browser()) {
            browser.open(url + "/");
            browser.await("the overview to show RUNNING", PAGE, d -> "RUNNING".equals(browser.textOf("state")));
            assertEquals("0", browser.textOf("decisions-total"));
            assertFalse(browser.byId("banner").isDisplayed(), "no trouble to report");

            app.cli().run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            browser.await("18 decisions on the overview, without reloading", Duration.ofSeconds(60), d -> "18".equals(browser.textOf("decisions-total")));
            browser.await("18 records counted on the request topic", Duration.ofSeconds(30),
                    d -> "18".equals(d.findElement(By.cssSelector("[data-records=REQUESTS]")).getText()));
            // Records, not offsets: each of the router's transactions also takes an offset for its commit marker.
            final long toReviewCount = SampleRequests.toReview().size();
            browser.await(toReviewCount + " records counted on the needs-review topic, not its offsets", Duration.ofSeconds(30),
                    d -> String.valueOf(toReviewCount).equals(d.findElement(By.cssSelector("[data-records=NEEDS_REVIEW]")).getText()));
            browser.await("a rate above 0 on the request topic's chart", Duration.ofSeconds(30),
                    d -> !d.findElement(By.cssSelector("[data-role=REQUESTS] polyline")).getAttribute("points").isBlank());
            final long toReview = SampleRequests.toReview().size();
            browser.await("the pending reviews", PAGE, d -> String.valueOf(toReview).equals(browser.textOf("pending")));
            browser.await("needs_review " + toReview + " among the decisions by route", PAGE,
                    d -> String.valueOf(toReview).equals(d.findElement(By.cssSelector("[data-route=needs_review]")).getText()));
            browser.screenshot(SCREENSHOTS.resolve("overview.png"));
            // Coverage as it is: a counterpart whose treaty is only signed is not shown as covered.
            assertTrue(browser.driver().findElement(By.cssSelector("#coverage tr[data-counterpart=VN] td.in-force")).getText()
                    .contains("no instrument in force"), browser.textOf("coverage"));
            assertTrue(browser.driver().findElement(By.cssSelector("#coverage tr[data-counterpart=VN] td.not-in-force")).getText()
                    .contains("signed"), browser.textOf("coverage"));
            assertEquals("mutual legal assistance",
                    browser.driver().findElement(By.cssSelector("#coverage tr[data-counterpart=FR] td.in-force")).getText());
            browser.open(url + "/coverage");
            browser.await("the coverage page", PAGE, d -> !d.findElements(By.cssSelector("[data-instrument=KZ-US-MLA]")).isEmpty());
            final String us = browser.driver().findElement(By.cssSelector("[data-instrument=KZ-US-MLA]")).getText();
            assertTrue(us.contains("not in force") && us.contains("Treaty"), "the title, and not in force said in words: " + us);
            assertTrue(browser.driver().findElement(By.cssSelector("[data-instrument=KZ-FR-MLA]")).getText().contains("in force"));
            browser.screenshot(SCREENSHOTS.resolve("coverage.png"));
            // Statistics from the decision topics: the 18 requests by month, counterpart, kind and outcome; as CSV too.
            final String csv = Await.value("the statistics to count the 18 decisions", Duration.ofSeconds(60), () -> {
                final String table = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/console/api/statistics.csv?table=requests"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                return table.lines().skip(1).mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(',') + 1))).sum() == 18 ? table : null;
            });
            assertTrue(csv.startsWith("month,counterpart,kind,outcome,requests\r\n"), csv);
            assertEquals(toReview, csv.lines().filter(line -> line.contains(",needs_review,"))
                    .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(',') + 1))).sum(), csv);
            browser.open(url + "/statistics");
            browser.await("the statistics page's chart and table", PAGE, d -> !d.findElements(By.cssSelector("#chart-requests rect")).isEmpty()
                    && !d.findElements(By.cssSelector("#statistics-table tr[data-row]")).isEmpty());
            browser.screenshot(SCREENSHOTS.resolve("statistics.png"));
            browser.open(url + "/");
            browser.await("the overview again", PAGE, d -> "RUNNING".equals(browser.textOf("state")));

            assertTrue(browser.driver().findElements(By.id("sign-in")).isEmpty(), "no reviewers configured: no sign-in");
            final String pending = SampleRequests.toReview().get(0);
            browser.byId("search-id").sendKeys(pending);
            browser.byId("search").submit();
            browser.await("the request's status", PAGE, d -> "NEEDS_REVIEW".equals(statusOf(browser)));
            assertTrue(browser.textOf("sign-in-to-act").contains("read-only"), browser.pageText());
            assertTrue(browser.driver().findElements(By.id("accept")).isEmpty(), "no action offered");
            assertNoPersonalData(browser.pageSource());
            // The search box takes a prefix: an id no request has lists the pending ones that start with it.
            final String prefix = pending.substring(0, pending.length() - 1);
            browser.open(url + "/requests/" + prefix);
            browser.await("the pending requests starting " + prefix, PAGE, d -> !d.findElements(By.cssSelector("#prefix-matches a")).isEmpty());
            final long matching = SampleRequests.toReview().stream().filter(id -> id.startsWith(prefix)).count();
            assertEquals(matching, browser.driver().findElements(By.cssSelector("#prefix-matches a")).size(), browser.textOf("prefix-matches"));

            browser.windowSize(390, 844);
            for (final String page : List.of("/", "/reviews", "/coverage", "/statistics", "/dead-letters", "/requests/" + pending)) {
                browser.open(url + page);
                browser.await("the page " + page + " to render", PAGE, d -> d.findElements(By.cssSelector("main h1")).size() == 1);
                assertTrue(browser.fitsWidth(), page + " fits a phone's width (390 px) without sideways scrolling");
            }
            browser.open(url + "/reviews");
            browser.await("the queue", PAGE, d -> d.findElements(By.cssSelector("#queue tr[data-request]")).size() == toReview);
            browser.screenshot(SCREENSHOTS.resolve("reviews-phone.png"));

            // Three languages: chosen with the switch on the page, every page in each, at a desktop's and a phone's width.
            for (final String language : List.of("ru", "kk", "en")) {
                final java.util.Properties texts = new java.util.Properties();
                try (java.io.Reader in = java.nio.file.Files.newBufferedReader(Path.of("src/main/resources/console/messages"
                        + (language.equals("en") ? "" : "_" + language) + ".properties"))) {
                    texts.load(in);
                }
                browser.windowSize(1280, 900).open(url + "/");
                browser.await("the language switch", PAGE, d -> d.findElements(By.cssSelector("#language option")).size() == 3);
                browser.retrying(() -> new org.openqa.selenium.support.ui.Select(browser.byId("language")).selectByValue(language));
                browser.await("the overview in " + language, PAGE, d -> texts.getProperty("overview.title").equals(String.valueOf(browser.textOf("main")).lines().findFirst().orElse(""))
                        && texts.getProperty("nav.reviews").equals(browser.textOf("nav-reviews")));
                assertEquals(language, browser.script("return document.documentElement.lang"));
                for (final int width : new int[] {1280, 390}) {
                    browser.windowSize(width, width == 390 ? 844 : 900);
                    for (final String page : List.of("/", "/reviews", "/statistics", "/coverage", "/dead-letters", "/requests/" + pending)) {
                        browser.open(url + page);
                        browser.await(page + " in " + language, PAGE, d -> d.findElements(By.cssSelector("main h1")).size() == 1
                                && (!page.startsWith("/requests/") || !d.findElements(By.cssSelector("#instruments table")).isEmpty()));
                        browser.screenshot(SCREENSHOTS.resolve("languages").resolve(language + "-" + (page.startsWith("/requests/") ? "request"
                                : page.equals("/") ? "overview" : page.substring(1)) + "-" + width + ".png"));
                    }
                }
                // A reason's text in the language: the pending request's first reason, as the bundle words it.
                browser.open(url + "/requests/" + pending);
                browser.await("the request's reasons in " + language, PAGE, d -> browser.textOf("reasons") != null);
                final String reasons = browser.textOf("reasons");
                assertTrue(texts.stringPropertyNames().stream().filter(key -> key.startsWith("code.")).anyMatch(key -> reasons.contains(texts.getProperty(key))),
                        "a reason in " + language + ": " + reasons);
            }

            browser.windowSize(1280, 900).open(url + "/");
            KAFKA.stopBroker();
            try {
                browser.await("the overview to say Kafka cannot be reached", Duration.ofSeconds(90),
                        d -> browser.byId("banner").isDisplayed() && browser.textOf("banner").contains("does not answer"));
                assertTrue(browser.textOf("banner").contains(KAFKA.bootstrapServers()), browser.textOf("banner"));
            } finally {
                KAFKA.startStoppedBroker();
            }
            browser.await("the overview to clear the banner once Kafka answers", Duration.ofSeconds(90), d -> !browser.byId("banner").isDisplayed());
        }
    }

    @Test
    void shouldLetASignedInReviewerAcceptOneRequestAndRefuseAnother() throws Exception {
        final RouterUnderTest app = KAFKA.router("console-review", 3).publishShippedTreaties();
        final int port = Ports.free();
        final String url = "http://127.0.0.1:" + port;
        final Path log = workDir.resolve("router.log");
        final List<String> toReview = SampleRequests.toReview();
        try (RouterProcess router = app.startProcess(log, workDir.resolve("state"), "--http-port", String.valueOf(port),
                "-p", HttpKeys.HTTP_USERS_FILE_CONFIG + "=" + UsersFiles.write(workDir, "reviewer-7:s3cret-7:reviewer",
                        "supervisor-2:s3cret-2:supervisor", "legal-3:s3cret-3:supervisor"),
                "-p", org.mlarouter.config.ReviewKeys.TREATIES_FOUR_EYES_CONFIG + "=true");
             Browser browser = new Browser()) {
            app.cli().run(List.of("submit"), SampleRequests.FILE.toString()).ok();

            // Signed out: the pages load, but no request data, no subject, no action.
            browser.open(url + "/reviews");
            browser.await("the queue to ask for a sign-in", PAGE, d -> String.valueOf(browser.textOf("queue-error")).contains("Sign in"));
            browser.open(url + "/requests/" + toReview.get(0));
            browser.await("the request page to ask for a sign-in", PAGE, d -> String.valueOf(browser.textOf("request-error")).contains("Sign in"));
            assertTrue(browser.driver().findElements(By.id("accept")).isEmpty());
            assertNoPersonalData(browser.pageSource());

            browser.byId("user").sendKeys("reviewer-7");
            browser.byId("password").sendKeys("wrong");
            browser.byId("sign-in-button").click();
            browser.await("a wrong password refused", PAGE, d -> String.valueOf(browser.textOf("sign-in-error")).contains("wrong password"));
            browser.byId("password").clear();
            browser.byId("password").sendKeys("s3cret-7");
            browser.byId("sign-in-button").click();
            browser.await("the reviewer signed in", PAGE, d -> "Signed in as reviewer-7".equals(browser.textOf("signed-in")));
            Await.until("the failed and the good sign-in logged", Duration.ofSeconds(10),
                    () -> router.log().contains("Failed sign-in as reviewer-7 from 127.0.0.1 (console)")
                            && router.log().contains("Signed in: reviewer-7 from 127.0.0.1 (console)"));
            assertTrue(!router.log().contains("s3cret-7"), "no password is logged");

            browser.open(url + "/reviews");
            browser.await("the " + toReview.size() + " pending reviews", PAGE,
                    d -> d.findElements(By.cssSelector("#queue tr[data-request]")).size() == toReview.size());
            browser.screenshot(SCREENSHOTS.resolve("reviews.png"));
            final Map<String, String> counterparts = pendingCounterparts(url, toReview.size());
            final String counterpart = counterparts.values().iterator().next();
            browser.retrying(() -> new org.openqa.selenium.support.ui.Select(browser.byId("filter-counterpart")).selectByValue(counterpart));
            final long expected = counterparts.values().stream().filter(counterpart::equals).count();
            browser.await("the queue filtered to " + counterpart, PAGE, d -> d.findElements(By.cssSelector("#queue tr[data-request]")).size() == expected);
            browser.retrying(() -> new org.openqa.selenium.support.ui.Select(browser.byId("filter-counterpart")).selectByValue(""));
            // What a reviewer triages by: received, authority, the counterpart's name, the deadline and the days left.
            final String first = toReview.get(0);
            final String row = browser.await("the row of " + first, PAGE, d -> {
                try {
                    return d.findElement(By.cssSelector("#queue tr[data-request='" + first + "']")).getText();
                } catch (final org.openqa.selenium.WebDriverException e) {
                    return null;
                }
            });
            assertTrue(row.contains("Prosecutor") || row.contains("Parquet"), "the requesting authority: " + row);
            assertTrue(row.matches("(?s).*\\d{4}-\\d{2}-\\d{2}.*\\d+ d.*"), "received and deadline dates, days left: " + row);
            browser.retrying(() -> browser.byId("filter-id").sendKeys(first));
            browser.await("the queue cut to the ids starting " + first, PAGE, d -> d.findElements(By.cssSelector("#queue tr[data-request]")).size() == 1);
            browser.retrying(() -> browser.byId("filter-id").clear());
            browser.retrying(() -> browser.byId("filter-id").sendKeys(" "));
            browser.retrying(() -> browser.driver().findElement(By.cssSelector("button[data-sort=deadline]")).click());
            browser.await("the queue whole again, by deadline", PAGE, d -> d.findElements(By.cssSelector("#queue tr[data-request]")).size() == toReview.size()
                    && "ascending".equals(d.findElement(By.cssSelector("th[aria-sort]")).getAttribute("aria-sort")));

            final String accepted = toReview.get(0);
            final String refused = toReview.get(1);
            // The queue links to each request (the table is redrawn every few seconds, so the link is read, then followed).
            final String link = browser.await("the link to " + accepted, PAGE, d -> {
                try {
                    return d.findElement(By.linkText(accepted)).getAttribute("href");
                } catch (final org.openqa.selenium.WebDriverException e) {
                    return null;
                }
            });
            assertEquals(url + "/requests/" + accepted, link);
            browser.open(link);
            browser.await("the request's subjects, for a signed-in reviewer", PAGE, d -> browser.textOf("subjects") != null);
            // The request page: received, first decided and the deadline; the counterpart's instruments, in force or not, in words.
            browser.await("the counterpart's instruments", PAGE, d -> !d.findElements(By.cssSelector("#instruments [data-instrument]")).isEmpty());
            final String details = browser.textOf("request-details");
            assertTrue(details.contains("Received") && details.contains("First decided") && details.contains("Review deadline"), details);
            assertTrue(browser.textOf("instruments").matches("(?s).*(in force|not in force).*"), browser.textOf("instruments"));
            for (final String name : subjectNames(accepted)) {
                assertTrue(browser.textOf("subjects").contains(name), browser.textOf("subjects"));
            }
            browser.byId("accept").click();
            browser.await("the same validation as the review command", PAGE, d -> "Grounds are blank".equals(browser.textOf("review-message")));
            browser.byId("grounds").sendKeys("Reciprocity confirmed by the ministry");
            browser.screenshot(SCREENSHOTS.resolve("request.png"));
            browser.byId("accept").click();
            browser.await("the outcome applied", PAGE, d -> "Applied: the request is accepted.".equals(browser.textOf("review-message")));
            browser.await("the request final", Duration.ofSeconds(60), d -> {
                final String shown = statusOf(browser);
                if (shown != null && !shown.equals("ACCEPTED")) {
                    // Loaded, but from before the router applied the outcome: ask again.
                    d.navigate().refresh();
                }
                return "ACCEPTED".equals(shown);
            });

            // The legal basis is a choice among the counterpart's instruments in force.
            final TreatyTable shipped = TreatyTable.shipped("KZ");
            final Map.Entry<String, List<String>> withInstruments = counterparts.entrySet().stream()
                    .map(entry -> Map.entry(entry.getKey(), shipped.coverage(entry.getValue()).map(coverage -> coverage.getInstruments().stream()
                            .filter(instrument -> instrument.getStatus() == org.mlarouter.avro.InstrumentStatus.IN_FORCE)
                            .map(org.mlarouter.avro.Instrument::getId).toList()).orElse(List.of())))
                    .filter(entry -> !entry.getValue().isEmpty()).findFirst().orElseThrow();
            browser.open(url + "/requests/" + withInstruments.getKey());
            final List<String> offered = browser.await("the counterpart's instruments offered", PAGE, d -> {
                final List<String> values = new org.openqa.selenium.support.ui.Select(browser.byId("legal-basis")).getOptions().stream()
                        .map(option -> option.getAttribute("value")).filter(value -> !value.isEmpty()).toList();
                return values.isEmpty() ? null : values;
            });
            assertEquals(withInstruments.getValue(), offered);

            browser.open(url + "/requests/" + refused);
            browser.byId("grounds").sendKeys("Dual criminality not established");
            browser.byId("refuse").click();
            browser.await("the refusal held for a second person", PAGE, d -> ("Proposal refused recorded: it awaits confirmation by another"
                    + " supervisor.").equals(browser.textOf("review-message")));
            browser.await("the proposer told it awaits another supervisor", PAGE,
                    d -> "Your proposal awaits confirmation by another supervisor.".equals(browser.textOf("awaiting-confirmation")));
            assertTrue(browser.driver().findElements(By.id("confirm")).isEmpty(), "the proposer cannot confirm");

            browser.byId("sign-out").click();
            browser.await("signed out", PAGE, d -> !d.findElements(By.id("user")).isEmpty());
            browser.byId("user").sendKeys("supervisor-2");
            browser.byId("password").sendKeys("s3cret-2");
            browser.byId("sign-in-button").click();
            browser.await("the supervisor signed in", PAGE, d -> "Signed in as supervisor-2".equals(browser.textOf("signed-in")));
            browser.open(url + "/requests/" + refused);
            browser.await("the proposal shown", PAGE, d -> String.valueOf(browser.textOf("proposal")).contains("reviewer-7"));
            browser.screenshot(SCREENSHOTS.resolve("confirmation.png"));
            browser.byId("confirm").click();
            browser.await("the refusal confirmed", PAGE, d -> "Applied: the request is refused.".equals(browser.textOf("review-message")));

            // Coverage changes under four-eyes: another supervisor proposes coverage for Germany (made up for the test);
            // supervisor-2 approves it on the Coverage page, and the German request pending review is marked.
            final Path germany = workDir.resolve("de.json");
            Files.writeString(germany, "[{\"counterpartState\": \"DE\", \"counterpartName\": \"Germany\", \"revision\": 1,"
                    + " \"updatedAt\": \"2026-12-01T00:00:00Z\", \"instruments\": [{\"id\": \"KZ-DE-TEST\", \"title\": \"Treaty made up by ConsoleIT\","
                    + " \"type\": \"BILATERAL_TREATY\", \"covers\": [\"MUTUAL_LEGAL_ASSISTANCE\"], \"measures\": [], \"offenceCategories\": [],"
                    + " \"status\": \"IN_FORCE\", \"source\": \"ConsoleIT: not a fact\"}]}]");
            new Cli(List.of(), Map.of("MLA_PASSWORD", "s3cret-3")).run(List.of("treaties", "load"), germany.toString(), "--note",
                    "Coverage for Germany, for the test", "--url", url, "--user", "legal-3").ok();
            browser.open(url + "/coverage");
            browser.await("the proposal for DE", PAGE, d -> !d.findElements(By.cssSelector("#proposals .proposal[data-counterpart=DE] button.approve")).isEmpty());
            assertTrue(browser.textOf("proposals").contains("KZ-DE-TEST: added, IN_FORCE"), browser.textOf("proposals"));
            browser.screenshot(SCREENSHOTS.resolve("coverage-proposal.png"));
            browser.retrying(() -> browser.driver().findElement(By.cssSelector("#proposals .proposal[data-counterpart=DE] button.approve")).click());
            browser.await("the change approved", PAGE, d -> String.valueOf(browser.textOf("proposals")).contains("Approved: revision 1 applies")
                    || browser.textOf("no-proposals") != null);
            final String german = counterparts.entrySet().stream().filter(entry -> entry.getValue().equals("DE")).map(Map.Entry::getKey).findFirst().orElseThrow();
            browser.open(url + "/reviews");
            browser.await("the German request marked in the queue", Duration.ofSeconds(60), d -> {
                final List<org.openqa.selenium.WebElement> marked = d.findElements(By.cssSelector("#queue tr[data-request='" + german + "'] .badge.changed"));
                if (marked.isEmpty()) {
                    d.navigate().refresh();
                }
                return !marked.isEmpty();
            });
            browser.open(url + "/requests/" + german);
            browser.await("the decision the new coverage would give", PAGE, d -> browser.textOf("coverage-changed") != null);
            assertTrue(browser.textOf("coverage-changed").contains("KZ-DE-TEST"), browser.textOf("coverage-changed"));
            browser.script("document.getElementById('coverage-changed').previousElementSibling.previousElementSibling.scrollIntoView()");
            browser.screenshot(SCREENSHOTS.resolve("request-coverage-changed.png"));
            browser.open(url + "/coverage");
            browser.await("Germany's history", PAGE, d -> !d.findElements(By.cssSelector("section[data-counterpart=DE] details.history tr[data-state=APPROVED]")).isEmpty());

            final Decisions decisions = new Decisions(app);
            org.mlarouter.testing.Await.until("both final decisions on their topics", Duration.ofSeconds(60),
                    () -> decisions.read().finalRouteById.size() == 2);
            final Decisions read = decisions.read();
            assertEquals(Map.of(accepted, Route.ACCEPTED, refused, Route.REFUSED), read.finalRouteById);
            assertEquals(List.of(), read.finalNotOnce());

            forgedPostsAreRefused(url, toReview.get(2));
            final String routerLog = Files.readString(log);
            assertTrue(routerLog.contains("Review outcome DECISION ACCEPTED for " + accepted + " written to "
                    + app.topic(org.mlarouter.config.TopicRole.REVIEWS) + " by reviewer reviewer-7"), routerLog);
            assertTrue(routerLog.contains("Review outcome DECISION REFUSED for " + refused), routerLog);
            assertTrue(routerLog.contains("Review outcome CONFIRMATION REFUSED for " + refused + " written to "
                    + app.topic(org.mlarouter.config.TopicRole.REVIEWS) + " by reviewer supervisor-2"), routerLog);
            assertNoPersonalData(routerLog);
        }
    }

    /**
     * The console signs people in through the organisation's identity provider: a real OpenID Connect server on loopback,
     * an authorization code with PKCE (S256) in a real browser, the roles and staff id from the ID token's claims.
     */
    @Test
    void shouldSignInThroughTheOrganisationsIdentityProvider() throws Exception {
        final MockOAuth2Server issuer = new MockOAuth2Server();
        issuer.start(java.net.InetAddress.getLoopbackAddress(), 0);
        try {
            final RouterUnderTest app = KAFKA.router("console-oidc", 1);
            final int port = Ports.free();
            final String url = "http://127.0.0.1:" + port;
            final Path log = workDir.resolve("router.log");
            // The person the identity provider signs in next: a supervisor, with a staff id.
            issuer.enqueueCallback(new DefaultOAuth2TokenCallback("central-authority", "subject-17", "JWT", List.of("mla-router"),
                    Map.of("roles", List.of("supervisor"), "preferred_username", "PG-OIDC-SUPERVISOR"), 3600));
            try (RouterProcess router = app.startProcess(log, workDir.resolve("state"), "--http-port", String.valueOf(port),
                    "-p", HttpKeys.HTTP_OIDC_ISSUER_CONFIG + "=" + issuer.issuerUrl("central-authority"),
                    "-p", HttpKeys.HTTP_OIDC_CLIENT_ID_CONFIG + "=mla-router");
                 Browser browser = new Browser()) {
                browser.open(url + "/");
                browser.await("the sign-in through the organisation offered", PAGE, d -> !d.findElements(By.id("sign-in-issuer")).isEmpty());
                browser.byId("sign-in-issuer").click();
                browser.await("signed in through the identity provider", PAGE,
                        d -> "Signed in as PG-OIDC-SUPERVISOR".equals(browser.textOf("signed-in")));
                browser.screenshot(SCREENSHOTS.resolve("signed-in-oidc.png"));

                // What the identity provider was asked: the discovery document and keys (by the router), the authorization (by
                // the browser, with a PKCE challenge) and the token (by the router, with the verifier).
                final List<String> asked = new java.util.ArrayList<>();
                while (true) {
                    final okhttp3.mockwebserver.RecordedRequest next;
                    try {
                        next = issuer.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (final RuntimeException none) {
                        break; // the server's way of saying nothing more was asked within the second
                    }
                    asked.add(next.getMethod() + " " + next.getPath() + " " + next.getBody().readUtf8());
                }
                assertTrue(asked.stream().anyMatch(call -> call.startsWith("GET /central-authority/authorize?") && call.contains("code_challenge_method=S256")
                        && call.contains("code_challenge=") && call.contains("nonce=")), String.join("\n", asked));
                assertTrue(asked.stream().anyMatch(call -> call.startsWith("POST /central-authority/token") && call.contains("code_verifier=")
                        && call.contains("grant_type=authorization_code")), String.join("\n", asked));
                Await.until("the sign-in logged", Duration.ofSeconds(10),
                        () -> router.log().contains("Signed in: PG-OIDC-SUPERVISOR from 127.0.0.1 (console, identity provider)"));
                System.out.println("SIGN-IN through the OIDC server: " + router.log().lines()
                        .filter(line -> line.contains("Signed in: PG-OIDC-SUPERVISOR")).findFirst().orElseThrow());

                // Coming back with a made-up state signs nobody in.
                final HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(url + "/console/oidc/callback?state=made-up&code=also-made-up")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(302, forged.statusCode());
                assertEquals("/?signin=failed", forged.headers().firstValue("Location").orElseThrow());
                assertTrue(forged.headers().firstValue("Set-Cookie").isEmpty(), "no session");
            }
        } finally {
            issuer.shutdown();
        }
    }

    /** A post without the console's origin, or without the session's token, changes nothing. */
    private static void forgedPostsAreRefused(final String url, final String requestId) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> signedOut = http.send(HttpRequest.newBuilder(URI.create(url + "/console/api/reviews/" + requestId)).header("Origin", url)
                .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"ACCEPTED\",\"grounds\":\"anonymous\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, signedOut.statusCode(), "a signed-out visitor cannot act: " + signedOut.body());
        final String credentials = "{\"user\":\"reviewer-7\",\"password\":\"s3cret-7\"}";
        final HttpResponse<String> noOrigin = http.send(HttpRequest.newBuilder(URI.create(url + "/console/signin"))
                .POST(HttpRequest.BodyPublishers.ofString(credentials)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noOrigin.statusCode(), "a sign-in from elsewhere");
        final HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(url + "/console/signin")).header("Origin", url)
                .POST(HttpRequest.BodyPublishers.ofString(credentials)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, signedIn.statusCode(), signedIn.body());
        final String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertTrue(signedIn.headers().firstValue("Set-Cookie").orElseThrow().contains("HttpOnly; SameSite=Strict"));
        final String outcome = "{\"decision\":\"ACCEPTED\",\"grounds\":\"forged\"}";
        for (final HttpRequest forged : List.of(
                HttpRequest.newBuilder(URI.create(url + "/console/api/reviews/" + requestId)).header("Cookie", cookie).header("Origin", url)
                        .POST(HttpRequest.BodyPublishers.ofString(outcome)).build(),
                HttpRequest.newBuilder(URI.create(url + "/console/api/reviews/" + requestId)).header("Cookie", cookie)
                        .header("Origin", "http://evil.example").header("X-CSRF-Token", "guess").POST(HttpRequest.BodyPublishers.ofString(outcome)).build())) {
            final HttpResponse<String> answer = http.send(forged, HttpResponse.BodyHandlers.ofString());
            assertEquals(403, answer.statusCode(), answer.body());
        }
        final HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(url + "/console/api/requests/" + requestId))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("NEEDS_REVIEW", JSON.readTree(status.body()).path("status").asText(), "still pending: " + status.body());
    }

    /** The request page's status code (its badge shows it in words, in the reader's language); null while there is none. */
    private static String statusOf(final Browser browser) {
        try {
            return browser.driver().findElements(By.id("request-status")).stream().findFirst().map(badge -> badge.getAttribute("data-status")).orElse(null);
        } catch (final org.openqa.selenium.StaleElementReferenceException e) {
            return null;
        }
    }

    /** The counterpart of each pending request, as the review queue (JSON) shows it. */
    private static Map<String, String> pendingCounterparts(final String url, final int count) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/reviews"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("reviewer-7:s3cret-7".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        final Map<String, String> byId = new java.util.LinkedHashMap<>();
        JSON.readTree(answer.body()).forEach(entry -> byId.put(entry.path("requestId").asText(), entry.path("counterpartState").asText()));
        assertEquals(count, byId.size(), answer.body());
        return byId;
    }

    private static List<String> subjectNames(final String requestId) throws Exception {
        for (final String line : Files.readAllLines(SampleRequests.FILE)) {
            final JsonNode request = JSON.readTree(line);
            if (request.path("requestId").asText().equals(requestId)) {
                final List<String> names = new ArrayList<>();
                request.path("subjects").forEach(person -> names.add(person.path("fullName").asText()));
                return names;
            }
        }
        throw new AssertionError("no sample request " + requestId);
    }

    /** No subject's name from the sample requests appears in {@code text}. */
    private static void assertNoPersonalData(final String text) throws Exception {
        for (final String line : Files.readAllLines(SampleRequests.FILE)) {
            JSON.readTree(line).path("subjects").forEach(person ->
                    assertFalse(text.contains(person.path("fullName").asText()), "personal data shown: " + person.path("fullName").asText()));
        }
    }
}
