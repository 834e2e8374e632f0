package dev.smartgateway.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.it.Harness.assertProblem;
import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ignoreUserAgents} (DESIGN section 7a): a matching client is served by a VM that is already READY, but
 * never wakes one: 503 {@code not-started} + Retry-After, and nothing starts. Real gateway, real mock cloud.
 */
class IgnoreUserAgentsTest {

  private static final String BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
  private static final String PROBE = "kube-probe/1.29";

  private Harness harness;

  @BeforeEach
  void start() {
    harness = Harness.start(200, 400, """
        defaults: {ignoreUserAgents: ['(?i)bot', kube-probe]}
        resources:
          open: {ignoreUserAgents: []}
        """);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aBotOnAColdResourceGets503AndNothingStartsThenIsServedOnceAPersonWokeTheVm() {
    Harness.Reply bot = await(harness.get("/smart_proxy/demo/g1/page", "User-Agent", BOT));

    JsonObject problem = assertProblem(bot, 503, "not-started", "demo");
    assertThat(problem.getString("detail")).contains("does not wake VMs", "(?i)bot");
    assertThat(bot.header("Retry-After")).isEqualTo("30");
    assertThat(await(harness.gateway.lifecycle().instances())).as("nothing starting").isEmpty();
    assertThat(harness.stats().getInteger("started")).isZero();

    Harness.Reply person = await(harness.get("/smart_proxy/demo/g1/page", "User-Agent", "curl/8.5.0"));
    assertThat(person.status()).as("%s", person.body()).isEqualTo(200);
    String vm = person.json().getString("vm");

    Harness.Reply botAgain = await(harness.get("/smart_proxy/demo/g1/page", "User-Agent", BOT));
    assertThat(botAgain.status()).as("a bot once a VM is ready: %s", botAgain.body()).isEqualTo(200);
    assertThat(botAgain.json().getString("vm")).isEqualTo(vm);
    assertThat(botAgain.json().getJsonObject("headers").getString("user-agent")).isEqualTo(BOT);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void aBrowserThatIsABotGetsNoWaitingPageAndStartsNothing() {
    Harness.Reply bot = await(harness.get("/smart_proxy/demo/g1/", "User-Agent", BOT, "Accept", "text/html"));

    assertThat(bot.status()).isEqualTo(503);
    assertThat(bot.header("Content-Type")).startsWith("text/html");
    assertThat(bot.header("Retry-After")).isEqualTo("30");
    assertThat(await(harness.gateway.lifecycle().instances())).isEmpty();
    assertThat(harness.stats().getInteger("started")).isZero();
  }

  @Test
  void everyExpressionCountsAndAResourceMayListNone() {
    assertProblem(await(harness.get("/smart_proxy/demo/g1/", "User-Agent", PROBE)), 503, "not-started", "demo");
    assertProblem(await(harness.get("/smart_proxy/demo/g1/", "User-Agent", "SomeBOT/1.0")), 503, "not-started", "demo");
    assertThat(harness.stats().getInteger("started")).isZero();

    Harness.Reply onOpen = await(harness.get("/smart_proxy/open/g1/", "User-Agent", BOT));
    assertThat(onOpen.status()).as("open lists no user agents: the bot wakes it").isEqualTo(200);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }
}
