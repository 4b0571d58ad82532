// Accessibility check for the journeys: axe-core must find no serious or critical WCAG 2 A/AA violation.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * axe-core runs in the page itself (axe.run) and sends back the violations in full but only one node per rule for
 * passes, incomplete and inapplicable results: every rule still checks every element. The package's default way
 * (runPartial in the page, then finishRun in a second, blank page) ships every checked node of every rule to the test
 * process and into that second page and injects axe-core twice: on the 1,000-run comparison (15,445 elements) the
 * check took 240 s at load 15, of which 42 s were axe's own rules; this way 52 s. On 26 ordinary pages, both ways run
 * on the same page, 187 s against 111 s, with the same violations found. Cross-origin frames, which only the default
 * way reaches, the studio does not have.
 */
export async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).withTags(["wcag2a", "wcag2aa"]).setLegacyMode().analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}
