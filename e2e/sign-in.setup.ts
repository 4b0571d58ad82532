// Signs in through the real sign-in page once and saves the session for the journeys.
import { expect, test as setup } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME, E2E_STORAGE_STATE } from "./credentials";

setup("sign in as the first admin", async ({ page }) => {
  await page.goto("/experiments");
  // Not signed in yet: the studio sends the browser to the sign-in page and back afterwards.
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fexperiments/);
  await page.getByLabel("Username").fill(E2E_ADMIN_USERNAME);
  await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/experiments$/);
  await expect(page.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();
  await page.context().storageState({ path: E2E_STORAGE_STATE });
});
