// Accessibility check for the journeys: axe-core must find no serious or critical WCAG 2 A/AA violation.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { createRequire } from "node:module";

/**
 * The axe-core that @axe-core/playwright itself loads, guarded so a page gets it once: the package evaluates the whole
 * script twice per check (once before, once per frame in axe.run's way), 0.8-2.8 s each at load 15 in a trace, more
 * than axe's rules took on most pages; the second and any later check on the same document then skip it.
 */
const axeCore = createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright"))("axe-core") as { source: string };
const axeSourceOnce = `if (!window.axe) { ${axeCore.source}\n}`;

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
  const results = await new AxeBuilder({ page, axeSource: axeSourceOnce }).options({ resultTypes: ["violations"] }).withTags(["wcag2a", "wcag2aa"]).setLegacyMode().analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}
