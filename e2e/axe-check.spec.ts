// The journeys' accessibility check itself (e2e/axe.ts): it still reports serious violations anywhere on a large page,
// each offending element named, now that it asks axe-core for the violations only (passes kept as one node per rule).
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";

/** A page of `rows` table rows; the last row's text is grey on white (contrast 1.5:1), a serious violation. */
function bigPage(rows: number, lastRowStyle: string): string {
  const cells = Array.from({ length: rows }, (_, i) => `<tr><td>run-${i}</td><td>${(i / rows).toFixed(3)}</td></tr>`).join("");
  return `<!doctype html><html lang="en"><head><title>Axe check</title></head><body><main><h1>Runs</h1>
    <table><caption>Runs</caption><thead><tr><th>Run</th><th>Loss</th></tr></thead><tbody>${cells}
    <tr><td id="last" style="${lastRowStyle}">run-last</td><td>1.000</td></tr></tbody></table></main></body></html>`;
}

test("the accessibility check passes a clean large page and names a serious violation on its last row", async ({ page }) => {
  await page.setContent(bigPage(300, "color: #000"));
  await expectNoSeriousViolations(page);

  await page.setContent(bigPage(300, "color: #ccc"));
  let failure = "";
  try {
    await expectNoSeriousViolations(page);
  } catch (error) {
    failure = String(error);
  }
  expect(failure).toContain("color-contrast");
  expect(failure).toContain("#last");
});

test("the accessibility check reports an image without text and a nameless button", async ({ page }) => {
  await page.setContent(`<!doctype html><html lang="en"><head><title>Axe check</title></head><body><main><h1>Shapes</h1>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt"><button id="no-name"></button></main></body></html>`);
  let failure = "";
  try {
    await expectNoSeriousViolations(page);
  } catch (error) {
    failure = String(error);
  }
  expect(failure).toContain("image-alt");
  expect(failure).toContain("#no-alt");
  expect(failure).toContain("button-name");
  expect(failure).toContain("#no-name");
});
