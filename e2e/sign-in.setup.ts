// Signs in through the real sign-in page of every worker's server once and saves each session for the journeys.
import { expect, test as setup } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME, E2E_WORKERS, e2eBaseUrl, e2eStorageState } from "./credentials";

for (let server = 0; server < E2E_WORKERS; server++) {
  setup(`sign in as the first admin (server ${server + 1} of ${E2E_WORKERS})`, async ({ page }) => {
    // Absolute addresses: this setup may run in any worker, and signs in on every server.
    await page.goto(`${e2eBaseUrl(server)}/experiments`);
    // Not signed in yet: the studio sends the browser to the sign-in page and back afterwards.
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fexperiments/);
    await page.getByLabel("Username").fill(E2E_ADMIN_USERNAME);
    await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${e2eBaseUrl(server)}/experiments`);
    await expect(page.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();
    await page.context().storageState({ path: e2eStorageState(server) });
  });
}
