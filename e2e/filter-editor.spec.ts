// Journey: a data scientist writes a runs filter with the editor's suggestions, sees a mistake underlined, and nothing loads from outside.
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { expectFilterText, FILTER_LABEL, filterEditor, suggestions, typeFilter } from "./filter-box";
import { createExperiment, logRun } from "./mlflow-api";

function runRows(page: Page) {
  return page.getByRole("table", { name: "Runs" }).locator("tbody tr");
}

test("complete a filter from suggestions, apply it with Enter, see a bad one underlined, all served by the studio", async ({ page, request }) => {
  // Every request the page makes, to prove the editor (scripts, styles, fonts, workers) comes from the studio itself.
  const requested: string[] = [];
  page.on("request", (outgoing) => requested.push(outgoing.url()));
  page.on("websocket", (socket) => requested.push(socket.url()));
  // A script, style, font or worker that failed or was blocked by the content security policy shows up here.
  // (A browser may still probe /favicon.ico beside the studio's icon.svg; that 404 is not the editor's.)
  const consoleErrors: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
  });
  page.on("console", (message) => {
    const where = message.location().url;
    if (message.type() === "error" && !where.endsWith("/favicon.ico")) consoleErrors.push(`${message.text()} ${where}`);
  });

  const experimentId = await createExperiment(request, `Filter editor ${Date.now()}`);
  await logRun(request, experimentId, { runName: "steady", params: { lr: "0.01" }, metrics: { "val loss": [0.9, 0.4], acc: [0.7, 0.8] } });
  await logRun(request, experimentId, { runName: "shaky", params: { lr: "0.1" }, metrics: { "val loss": [0.9, 0.7], acc: [0.6, 0.65] } });
  await page.goto(`/experiments/${experimentId}`);
  await expect(runRows(page)).toHaveCount(2);

  // "metrics." opens the experiment's metric keys; accepting one quotes it as the grammar needs and offers the comparators.
  const editor = await filterEditor(page);
  await editor.click();
  await page.keyboard.type("metrics.");
  const keyOption = suggestions(page).getByRole("option", { name: /val loss/ });
  await expect(keyOption).toBeVisible();
  await expect(suggestions(page).getByRole("option", { name: /acc/ })).toBeVisible();
  await page.keyboard.type("val");
  await expect(suggestions(page).getByRole("option")).toHaveCount(1);
  await page.keyboard.press("Enter");
  await expectFilterText(page, "metrics.`val loss`");
  await expect(suggestions(page).getByRole("option", { name: /^<=/ })).toBeVisible();
  await expect(suggestions(page).getByRole("option", { name: /LIKE/ })).toHaveCount(0);
  await page.keyboard.type("< 0.5");
  await expect(suggestions(page)).toHaveCount(0);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/filter=metrics\.%60val(\+|%20)loss%60(\+|%20)%3C(\+|%20)0\.5/);
  await expect(runRows(page)).toHaveCount(1);
  await expect(runRows(page).first()).toContainText("steady");
  await expectFilterText(page, "metrics.`val loss` < 0.5");

  // After a value and a space, `and` is offered once the user starts the word.
  await page.keyboard.type(" a");
  await expect(suggestions(page).getByRole("option", { name: /^and/ })).toBeVisible();
  await page.keyboard.press("Escape");

  // A mistake is checked as it is typed, before it is applied: underlined where the parser stopped, and said in words.
  await typeFilter(page, "metrics.acc >> 0.5");
  await expect(editor.locator(".squiggly-error")).toBeVisible();
  const message = page.getByRole("alert").filter({ hasText: "Invalid comparator '>>' at position 12" });
  await expect(message).toBeVisible();
  const box = page.getByLabel(FILTER_LABEL);
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await expect(box).toHaveAccessibleDescription(/Invalid comparator '>>' at position 12/);
  // Nothing was applied: the table still shows the last good filter.
  await expect(page).toHaveURL(/filter=metrics\.%60val/);
  await expect(runRows(page)).toHaveCount(1);

  // Pasted lines become one line; Escape leaves the box.
  await typeFilter(page, "");
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData("text/plain", "metrics.acc >= 0.6\nand params.lr = '0.01'");
    document.activeElement?.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expectFilterText(page, "metrics.acc >= 0.6 and params.lr = '0.01'");
  await expect(box).toBeFocused();
  // Typed text is drawn in the editor's token colours (prefix, key, comparator, number, keyword, string): each
  // must read against the box in both themes.
  for (const scheme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    if (scheme === "dark") await expect(editor.locator(".monaco-editor")).toHaveClass(/\bvs-dark\b/);
    else await expect(editor.locator(".monaco-editor")).not.toHaveClass(/\bvs-dark\b/);
    await expect(editor.locator(".view-line")).toContainText("params.lr");
    await expectNoSeriousViolations(page);
  }
  await box.focus();
  await page.keyboard.press("Escape");
  await expect(box).not.toBeFocused();

  // Fixing it clears the mark; Tab leaves the box for the next control instead of inserting a tab.
  await typeFilter(page, "metrics.acc >= 0.6");
  await expect(editor.locator(".squiggly-error")).toHaveCount(0);
  await expect(message).toHaveCount(0);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Apply" })).toBeFocused();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/filter=metrics\.acc(\+|%20)%3E%3D(\+|%20)0\.6/);
  await expect(runRows(page)).toHaveCount(2);

  // The editor follows the page's light or dark palette: the system's scheme, or the theme picked in the header.
  const monacoRoot = editor.locator(".monaco-editor");
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(monacoRoot).toHaveClass(/\bvs-dark\b/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(monacoRoot).not.toHaveClass(/\bvs-dark\b/);
  const themePicker = page.getByLabel("Theme");
  await themePicker.selectOption("dark");
  await expect(monacoRoot).toHaveClass(/\bvs-dark\b/);
  await themePicker.selectOption("system");
  await expect(monacoRoot).not.toHaveClass(/\bvs-dark\b/);

  expect(requested.some((url) => /\/monaco\/[^/]+\/vs\/loader\.js$/.test(url))).toBe(true);
  const external = requested.filter((url) => /^(https?|wss?):/.test(url) && new URL(url).hostname !== "127.0.0.1");
  expect(external).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test("the filter box still works as a plain input when the editor cannot load", async ({ page, request }) => {
  await page.route("**/monaco/**", (route) => route.abort());
  const experimentId = await createExperiment(request, `Filter fallback ${Date.now()}`);
  await logRun(request, experimentId, { runName: "kept", params: { lr: "0.01" }, metrics: { acc: [0.9] } });
  await logRun(request, experimentId, { runName: "dropped", params: { lr: "0.1" }, metrics: { acc: [0.5] } });
  await page.goto(`/experiments/${experimentId}`);
  await expect(runRows(page)).toHaveCount(2);

  const box = page.getByLabel(FILTER_LABEL);
  await box.fill("params.lr = '0.01'");
  await box.press("Enter");
  await expect(page).toHaveURL(/filter=params\.lr/);
  await expect(runRows(page)).toHaveCount(1);
  await expect(runRows(page).first()).toContainText("kept");
  // Checked as typed here too, without the editor.
  await box.fill("params.lr > 1");
  await expect(page.getByRole("alert").filter({ hasText: "Invalid comparator '>' for param 'lr'" })).toBeVisible();
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('[data-filter-editor="monaco"]')).toHaveCount(0);
});

test("the runs page does not load the editor until the filter box is focused, and the plain box works at once", async ({ page, request }) => {
  const monacoRequests: string[] = [];
  page.on("request", (outgoing) => {
    if (outgoing.url().includes("/monaco/")) monacoRequests.push(outgoing.url());
  });
  const experimentId = await createExperiment(request, `Filter on focus ${Date.now()}`);
  await logRun(request, experimentId, { runName: "kept", params: { lr: "0.01" }, metrics: { acc: [0.9] } });
  await logRun(request, experimentId, { runName: "dropped", params: { lr: "0.1" }, metrics: { acc: [0.5] } });
  await page.goto(`/experiments/${experimentId}`);
  await expect(runRows(page)).toHaveCount(2);
  await page.waitForLoadState("networkidle");
  expect(monacoRequests).toEqual([]);

  // Script bytes of the first load, and what focusing the box adds (reported: what the page used to load at once).
  const scriptBytes = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((entry) => entry as PerformanceResourceTiming)
        .filter((entry) => entry.initiatorType === "script" || /\.js(\?|$)/.test(entry.name))
        .reduce((sum, entry) => ({ transferred: sum.transferred + entry.transferSize, decoded: sum.decoded + entry.decodedBodySize }), { transferred: 0, decoded: 0 }),
    );
  const firstLoad = await scriptBytes();

  // Typing right away goes into the plain box, and Monaco takes over with the text and the caret where they were.
  const box = page.getByLabel(FILTER_LABEL);
  await box.click();
  await page.keyboard.type("params.lr = '0.01'");
  await expect(page.locator('[data-filter-editor="monaco"]')).toBeVisible();
  await expectFilterText(page, "params.lr = '0.01'");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/filter=params\.lr/);
  await expect(runRows(page)).toHaveCount(1);
  expect(monacoRequests.length).toBeGreaterThan(0);

  const withEditor = await scriptBytes();
  const kB = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  const summary =
    `runs page script on first load: ${kB(firstLoad.decoded)} (${kB(firstLoad.transferred)} transferred); ` +
    `with the editor after focus: ${kB(withEditor.decoded)} (${kB(withEditor.transferred)} transferred)`;
  test.info().annotations.push({ type: "measure", description: summary });
  console.log(summary);
});
