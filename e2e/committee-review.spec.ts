// Journey: the review a model-risk committee signs, once in English and once in French. An admin puts the
// 30-tree breast-cancer model in production (override with a reason); alice requests a review of the 100-tree
// retrain with outcome values, picks another threshold on the profit curve; the reviewer reads a decision's
// explanation and counterfactual and the comparison with production, and approves; the technical file is downloaded
// as a PDF in the reviewer's language, and its pages are converted to images and checked.
// Every label below comes from the message catalogues, so the French run reads the French pages.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { E2E_DEMO_PASSWORD } from "./credentials";

type Locale = "en" | "fr";

/** messages/<locale>/<namespace>.json, read as the studio merges them (messages/index.ts). */
function catalogue(locale: Locale): Record<string, unknown> {
  const dir = path.join("messages", locale);
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => [f.slice(0, -5), JSON.parse(readFileSync(path.join(dir, f), "utf8"))]));
}
const catalogues: Record<Locale, Record<string, unknown>> = { en: catalogue("en"), fr: catalogue("fr") };

/** The catalogue message at a dotted key, e.g. "review.request.submit". */
function message(locale: Locale, key: string): string {
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogues[locale]);
  if (typeof value !== "string") throw new Error(`no message ${key} in ${locale}`);
  return value;
}

/** A message with ICU arguments as a pattern matching any argument value. */
function messagePattern(locale: Locale, key: string): RegExp {
  const parts = message(locale, key).split(/\{[^}]*\}/);
  return new RegExp(parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*"));
}

const basic = (username: string) => `Basic ${Buffer.from(`${username}:${E2E_DEMO_PASSWORD}`).toString("base64")}`;

async function signedInAs(browser: Browser, username: string, browserLocale: string): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, locale: browserLocale });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.locator('input[name="username"], input[autocomplete="username"]').first().fill(username);
  await page.locator('input[type="password"]').first().fill(E2E_DEMO_PASSWORD);
  await page.locator('button[type="submit"]').first().click();
  await expect(page).not.toHaveURL(/sign-in/);
  return page;
}

async function uploadVersion(request: APIRequestContext, model: string, fixture: string): Promise<string> {
  const response = await request.post(`/api/models/upload?name=${encodeURIComponent(model)}`, {
    headers: { authorization: basic("alice"), "content-type": "application/octet-stream" },
    data: readFileSync(`fixtures/models/${fixture}.onnx`),
  });
  expect(response.status(), await response.text()).toBe(201);
  return String(((await response.json()) as { version: string | number }).version);
}

/** The signed-in admin (default storage state) puts a version in production past the gate, with a reason. */
async function overrideIntoProduction(page: Page, model: string, version: string): Promise<void> {
  await page.goto("/deployments");
  const panel = page.getByRole("region", { name: "Promote to production" });
  await panel.getByLabel("Model").selectOption(model);
  await panel.getByLabel("Version").selectOption(version);
  const form = panel.getByRole("form", { name: `Promote ${model} v${version}` });
  await form.getByLabel(/Override reason/).fill("The model in service before the studio; reviewed on paper in 2025.");
  await form.getByRole("button", { name: "Promote" }).click();
  await expect(form.getByRole("status")).toHaveText(`${model} production now serves v${version}.`);
}

function pdfPages(pdf: string): { pages: number; text: string; images: string[] } {
  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
  const dir = mkdtempSync(path.join(os.tmpdir(), "technical-file-"));
  execFileSync("pdftoppm", ["-r", "40", "-png", pdf, path.join(dir, "page")]);
  const images = readdirSync(dir).filter((name) => name.endsWith(".png")).sort().map((name) => path.join(dir, name));
  return { pages, text, images };
}

const havePoppler = ["pdfinfo", "pdftotext", "pdftoppm"].every((tool) => ["/usr/bin", "/usr/local/bin"].some((dir) => existsSync(path.join(dir, tool))));

for (const locale of ["en", "fr"] as const) {
  test(`committee review in ${locale === "en" ? "English" : "French"}: value and threshold, explanation and counterfactual, comparison with production, approval, technical file PDF`, async ({ browser, page: admin, request }) => {
    test.setTimeout(240_000);
    const m = (key: string) => message(locale, key);
    const model = `committee-${locale}-${Date.now()}`;
    const production = await uploadVersion(request, model, "breast-cancer-rf-v2");
    await overrideIntoProduction(admin, model, production);
    const candidate = await uploadVersion(request, model, "breast-cancer-rf-v1");

    // alice's browser speaks English; in the French run she picks French in the header (saved with her account, so
    // it is set back to the browser's language at the end, whatever happens: later journeys sign her in too).
    const alice = await signedInAs(browser, "alice", "en-US");
    let bob: Page | null = null;
    try {
      if (locale === "fr") {
        await alice.getByTestId("language-picker").selectOption("fr");
        await expect(alice.locator("html")).toHaveAttribute("lang", "fr");
      }
      await alice.goto(`/models/${model}/versions/${candidate}`);
      await alice.getByTestId("request-review-link").click();
      const form = alice.getByRole("form", { name: m("review.request.title") });
      await form.getByLabel(m("review.request.dataset"), { exact: true }).selectOption("breast-cancer");
      await form.getByLabel(m("review.request.version"), { exact: true }).selectOption("2");
      await expect(form.getByLabel(m("review.request.labelColumn"))).toHaveValue("malignant");
      await form.getByLabel(messagePattern(locale, "review.columnMapping.confirm")).check();
      await form.getByLabel(m("review.criteriaEditor.maxGap")).fill("");
      // What each outcome is worth to the clinic: a caught malignancy, a needless second read, a missed one, a clear.
      await form.getByTestId("outcome-tp").fill("900");
      await form.getByTestId("outcome-fp").fill("-120");
      await form.getByTestId("outcome-fn").fill("-2500");
      await form.getByTestId("outcome-tn").fill("0");
      await form.getByTestId("outcome-yearly-volume").fill("20000");
      await form.getByRole("button", { name: m("review.request.submit") }).click();
      await expect(alice).toHaveURL(/\/reviews\/\d+$/);
      const reviewUrl = alice.url();

      // The value: expected value per 1,000 decisions, the profit curve, and a lower threshold picked on it.
      const value = alice.getByTestId("value-section");
      await expect(value).toBeVisible({ timeout: 90_000 });
      await expect(alice.getByTestId("profit-curve")).toBeVisible();
      await expect(alice.getByTestId("value-row-chosen")).toContainText("€");
      await expect(alice.getByTestId("value-sentence")).toContainText(locale === "fr" ? "0,50" : "0.50");
      await alice.getByTestId("threshold-input").fill("0.3");
      await expect(alice.getByTestId("threshold-preview")).toContainText(locale === "fr" ? "0,30" : "0.30");
      await alice.getByTestId("use-threshold").click();
      await expect(alice.getByTestId("value-sentence")).toContainText(locale === "fr" ? "0,30" : "0.30");

      // The reviewer (bob) reads in his browser's language: French in the French run.
      bob = await signedInAs(browser, "bob", locale === "fr" ? "fr-FR" : "en-US");
      await bob.goto(reviewUrl);
      await expect(bob.locator("html")).toHaveAttribute("lang", locale);
      const explanations = bob.getByTestId("explanations-section");
      await expect(explanations).toBeVisible({ timeout: 60_000 });
      await expect(explanations.getByTestId("waterfall-chart").first()).toBeVisible();
      await expect(explanations.getByTestId("explanation-sentence").first()).not.toBeEmpty();
      await expect(explanations.getByTestId("counterfactual").first()).not.toBeEmpty();
      const comparison = bob.getByTestId("comparison-section");
      await expect(comparison).toBeVisible();
      await expect(comparison).toContainText(`${production}`);
      expect(await comparison.getByTestId("comparison-metric").count()).toBeGreaterThan(3);
      await expect(comparison.getByTestId("disagreement")).toBeVisible();
      await expect(comparison.getByTestId("mcnemar")).toBeVisible();

      await bob.getByLabel(m("review.decisionComment")).fill(
        locale === "fr" ? "Meilleur que le modèle en production, valeur attendue positive au seuil choisi." : "Better than production, positive expected value at the chosen threshold.",
      );
      await bob.getByRole("button", { name: m("review.approve"), exact: true }).click();
      await expect(bob.getByText(m("reviews.status.approved")).first()).toBeVisible();

      // The technical file, as the committee files it: a PDF in the reader's language, checked page by page.
      await bob.goto(`/models/${model}/versions/${candidate}/technical-file`);
      await expect(bob.getByTestId("technical-file-page")).toBeVisible();
      await bob.getByTestId("pdf-language").selectOption(locale);
      const [download] = await Promise.all([bob.waitForEvent("download"), bob.getByTestId("download-pdf").click()]);
      const pdf = path.join(mkdtempSync(path.join(os.tmpdir(), "committee-")), "technical-file.pdf");
      await download.saveAs(pdf);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
      test.skip(!havePoppler, "poppler-utils (pdfinfo, pdftotext, pdftoppm) is not installed: the PDF's pages are not checked");
      const { pages, text, images } = pdfPages(pdf);
      expect(pages).toBeGreaterThanOrEqual(4);
      expect(images).toHaveLength(pages);
      // A blank page renders to a tiny PNG; each page of the file carries text, tables or at least its header.
      for (const image of images) expect(statSync(image).size, image).toBeGreaterThan(1500);
      expect(text).toContain(model);
      expect(text).toContain(m("technicalFile.title"));
      expect(text).toContain("bob");
      expect(text).toMatch(new RegExp(`\\b1\\s*/\\s*${pages}\\b`));
    } finally {
      if (locale === "fr") {
        await alice.goto("/settings");
        await alice.getByTestId("language-picker").selectOption("browser");
        await expect(alice.locator("html")).toHaveAttribute("lang", "en");
      }
      await alice.context().close();
      await bob?.context().close();
    }
  });
}
