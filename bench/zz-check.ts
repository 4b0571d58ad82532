import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import playwrightConfig from "../playwright.config";
import { signIn, startStudio } from "./studio-server";

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-reasons-check-"));
  const studio = await startStudio({ databaseUrl: "", dataDir, seed: true });
  const browser = await chromium.launch(playwrightConfig.use?.launchOptions);
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1800 } });
    page.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text()); });
    await signIn(page, studio.baseUrl);
    await page.goto(`${studio.baseUrl}/models/breast-cancer-rf/versions/1/playground`);
    await page.getByLabel("Runtime").getByText(/Model loaded in \d+ ms/).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Predict" }).click();
    const explanation = page.getByTestId("playground-explanation");
    await explanation.getByTestId("waterfall-chart").waitFor({ timeout: 60_000 });
    console.log("sentence:", await explanation.getByTestId("explanation-sentence").textContent());
    console.log("timing:", await explanation.locator("p").filter({ hasText: "model rows" }).textContent());
    await explanation.getByTestId("actionable-feature").nth(27).check();
    await explanation.getByTestId("actionable-feature").nth(22).check();
    await explanation.getByRole("button", { name: "Find a counterfactual" }).click();
    await explanation.getByTestId("counterfactual").waitFor({ timeout: 60_000 });
    console.log("counterfactual:", await explanation.getByTestId("counterfactual").textContent());
    await explanation.screenshot({ path: "/tmp/reasons-playground.png" });
    await page.goto(`${studio.baseUrl}/reviews`);
    const link = page.getByRole("link", { name: /breast-cancer-rf/ }).first();
    await link.click();
    const section = page.getByTestId("explanations-section");
    await section.waitFor({ timeout: 120_000 });
    console.log("review intro:", await section.locator("p").first().textContent());
    console.log("review sentence:", await section.getByTestId("explanation-sentence").first().textContent());
    console.log("review counterfactual:", await section.getByTestId("counterfactual").first().textContent());
    await section.screenshot({ path: "/tmp/reasons-review.png" });
  } finally {
    await browser.close();
    await studio.stop();
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
