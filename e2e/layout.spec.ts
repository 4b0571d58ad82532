// Journey: the list pages at the widths people use (1280, 1440, 1920 px), in light and dark: nothing runs over its
// neighbour or widens the page, the header stays on one line, and axe finds no serious violation in either theme. Each screenshot is kept in
// test-results/layout/ for a person to look at; the checks below are what a person would look for.
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_BASE_URL } from "./credentials";

const widths = [1280, 1440, 1920] as const;
const themes = ["light", "dark"] as const;

/** The list pages, and a locator that says the page's data has arrived. */
const listPages: { name: string; path: string | ((page: Page) => Promise<string>); ready: (page: Page) => ReturnType<Page["locator"]> }[] = [
  { name: "experiments", path: "/experiments", ready: (page) => page.getByRole("link", { name: "Demo: breast cancer classifier" }) },
  {
    name: "runs",
    path: async (page) => {
      await page.goto("/experiments");
      await page.getByRole("link", { name: "Demo: breast cancer classifier" }).click();
      await expect(page.getByRole("table", { name: "Runs" }).locator("tbody tr").first()).toBeVisible();
      return new URL(page.url()).pathname;
    },
    ready: (page) => page.getByRole("table", { name: "Runs" }).locator("tbody tr").first(),
  },
  { name: "datasets", path: "/datasets", ready: (page) => page.getByRole("link", { name: "customers", exact: true }) },
  { name: "models", path: "/models", ready: (page) => page.getByRole("table", { name: "Models" }).getByRole("link", { name: "breast-cancer-rf", exact: true }) },
  { name: "reviews", path: "/reviews", ready: (page) => page.getByRole("heading", { level: 1, name: "Reviews" }) },
  { name: "deployments", path: "/deployments", ready: (page) => page.getByRole("heading", { level: 1, name: "Deployments" }) },
];

/** The header keeps its controls (search, shortcuts, language, theme, account) on one line, inside the window. */
async function headerProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const header = document.querySelector<HTMLElement>("header");
    if (!header) return ["no header"];
    if (header.scrollWidth > header.clientWidth + 1) problems.push(`the header is ${header.scrollWidth}px wide in its ${header.clientWidth}px`);
    const items = Array.from(header.querySelectorAll<HTMLElement>(":scope > *, :scope > div > *, .user-menu > *")).filter(
      (item) => item.getBoundingClientRect().width > 1 && getComputedStyle(item).position !== "absolute",
    );
    const middles = items.map((item) => {
      const box = item.getBoundingClientRect();
      return { text: (item.textContent ?? "").trim().slice(0, 30), middle: box.top + box.height / 2 };
    });
    const first = middles[0]?.middle ?? 0;
    for (const item of middles) if (Math.abs(item.middle - first) > 6) problems.push(`the header wraps: "${item.text}" sits ${Math.round(item.middle - first)}px below the brand`);
    return problems;
  });
}

/**
 * What a person looks for in a screenshot, measured: the page is no wider than the window, and no table cell or
 * heading lets its text spill out of its box (clipped text with an ellipsis is fine; text drawn over the next
 * column is not).
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) problems.push(`the page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
    for (const element of Array.from(document.querySelectorAll<HTMLElement>("main td, main th, main h1, main h2"))) {
      const style = getComputedStyle(element);
      const clips = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
      if (!clips && element.scrollWidth > element.clientWidth + 1) {
        problems.push(`"${(element.textContent ?? "").trim().slice(0, 60)}" spills ${element.scrollWidth - element.clientWidth}px out of its ${element.tagName.toLowerCase()}`);
      }
    }
    return problems;
  });
}

for (const theme of themes) {
  test(`list pages keep their layout at 1280, 1440 and 1920 px in the ${theme} theme`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme });
    for (const listPage of listPages) {
      await page.setViewportSize({ width: widths[0], height: 900 });
      const path = typeof listPage.path === "string" ? listPage.path : await listPage.path(page);
      await page.goto(path);
      await expect(listPage.ready(page)).toBeVisible();
      // The theme the page drew with is the one asked for (the picker's default follows the system).
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = (background.match(/\d+/g) ?? ["0", "0", "0"]).map(Number);
      const luminance = (r + g + b) / 3;
      expect(theme === "dark" ? luminance < 80 : luminance > 175, `${listPage.name}: ${background} in ${theme}`).toBe(true);
      await expectNoSeriousViolations(page);
      for (const width of widths) {
        await page.setViewportSize({ width, height: 900 });
        await expect(listPage.ready(page)).toBeVisible();
        expect([...(await headerProblems(page)), ...(await layoutProblems(page))], `${listPage.name} at ${width}px, ${theme}`).toEqual([]);
        await page.screenshot({ path: `test-results/layout/${listPage.name}-${width}-${theme}.png`, fullPage: false });
      }
    }
  });
}

test("the header stays on one line at 1280 px in French, the longer of the studio's languages", async ({ page, context }) => {
  await context.addCookies([{ name: "studio_locale", value: "fr", url: E2E_BASE_URL }]);
  await page.setViewportSize({ width: widths[0], height: 900 });
  await page.goto("/experiments");
  await expect(page.getByRole("button", { name: /Rechercher/ })).toBeVisible();
  // The bell and the account menu come once the signed-in user is known: check the header with everything in it.
  await expect(page.getByRole("button", { name: /^Notifications/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
  expect(await headerProblems(page)).toEqual([]);
  await page.screenshot({ path: "test-results/layout/header-1280-fr.png", fullPage: false });
});
