// Accounts journey: wrong password, keyboard-only sign-in, an admin creates a viewer, the viewer sees no write buttons, sign-out.
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME, E2E_DEMO_PASSWORD } from "./credentials";

// These journeys start signed out: they are about signing in.
test.use({ storageState: { cookies: [], origins: [] } });

async function signInWithKeyboard(page: Page, username: string, password: string, signInUrl = "/sign-in") {
  await page.goto(signInUrl);
  // The username field has focus on arrival; Tab moves to the password, Enter submits.
  await expect(page.getByLabel("Username")).toBeFocused();
  await page.keyboard.type(username);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
}

/** The admin pages are under the header's "Admin" menu. */
async function openAdminMenu(page: Page) {
  await page.getByRole("navigation", { name: "Account" }).getByText("Admin", { exact: true }).click();
}

test("a wrong password says so and keeps the user on the sign-in page", async ({ page }) => {
  await page.goto("/experiments");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Username").fill(E2E_ADMIN_USERNAME);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong username or password.");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("admin creates a viewer; the viewer reads but sees no write buttons; both sign out", async ({ page, browser }) => {
  await signInWithKeyboard(page, E2E_ADMIN_USERNAME, E2E_ADMIN_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create experiment" })).toBeVisible();

  await openAdminMenu(page);
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  const username = `viewer${Date.now() % 100000}`;
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Display name").fill("<b>Vera</b> Viewer");
  await page.getByLabel("Initial password").fill("viewer-password-42");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${username} (viewer)`);
  // Markup in a display name is shown as text, never rendered.
  await expect(page.getByRole("cell", { name: "<b>Vera</b> Viewer" })).toBeVisible();

  // The audit log shows the change with the acting admin.
  await openAdminMenu(page);
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("row", { name: new RegExp(`admin user\\.create user ${username}`) })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/experiments");
  await expect(page).toHaveURL(/\/sign-in/);

  const viewerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await viewerContext.newPage();
  await signInWithKeyboard(viewer, username, "viewer-password-42");
  await expect(viewer.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();
  await expect(viewer.getByRole("link", { name: "Demo: breast cancer classifier" })).toBeVisible();
  await expect(viewer.getByText(`${username} (viewer)`)).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Create experiment" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /^(Rename|Delete)/ })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Users" })).toHaveCount(0);
  // The server refuses a viewer's write even if the page were tampered with.
  const forbidden = await viewer.request.post("/api/2.0/mlflow/experiments/create", {
    data: { name: "viewer-should-not-create" },
    headers: { origin: new URL(viewer.url()).origin },
  });
  expect(forbidden.status()).toBe(403);
  expect(await forbidden.json()).toMatchObject({ error_code: "PERMISSION_DENIED" });
  // Typing an admin address gets an explanation, not forms the API would refuse.
  for (const adminPage of ["/admin/users", "/admin/tokens", "/admin/permissions", "/admin/audit"]) {
    await viewer.goto(adminPage);
    await expect(viewer.getByRole("heading", { level: 1, name: "Admins only" })).toBeVisible();
    await expect(viewer.getByText(`You are signed in as ${username} (viewer)`)).toBeVisible();
    await expect(viewer.locator("main form, main input, main select")).toHaveCount(0);
  }
  await viewer.getByRole("button", { name: "Sign out" }).click();
  await expect(viewer).toHaveURL(/\/sign-in/);
  await viewerContext.close();
});

test("an API token made on the tokens page works with the MLflow API, and stops after revoking", async ({ page, request }) => {
  await signInWithKeyboard(page, E2E_ADMIN_USERNAME, E2E_ADMIN_PASSWORD);
  await page.getByRole("link", { name: "API tokens" }).click();
  // The list answers only once the page is live, so the form below is hydrated by then.
  await expect(page.getByText("No tokens yet")).toBeVisible();
  await page.getByLabel("Name").fill("e2e script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^mops_/);
  const ok = await request.post("/api/2.0/mlflow/experiments/search", { data: {}, headers: { authorization: `Bearer ${token}` } });
  expect(ok.status()).toBe(200);
  // The OIP server metadata answers a token holder in JSON; it is no page to sign in to.
  const metadata = await request.get("/v2", { headers: { authorization: `Bearer ${token}` }, maxRedirects: 0 });
  expect(metadata.status()).toBe(200);
  expect(await metadata.json()).toMatchObject({ name: "modelops-studio" });
  await page.getByRole("button", { name: "Revoke token e2e script" }).click();
  await expect(page.getByText(/^revoked/)).toBeVisible();
  const revoked = await request.post("/api/2.0/mlflow/experiments/search", { data: {}, headers: { authorization: `Bearer ${token}` } });
  expect(revoked.status()).toBe(401);
});

test("a crafted next link cannot send the user off the studio after signing in", async ({ page }) => {
  await signInWithKeyboard(page, E2E_ADMIN_USERNAME, E2E_ADMIN_PASSWORD, "/sign-in?next=%2F%09%2Fevil.example%2F");
  await expect(page.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/experiments$/);
});

test("an admin revokes another user's token on the All tokens page; it stops at once and the audit log says who", async ({ page, browser, request }) => {
  const ownerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const owner = await ownerContext.newPage();
  await signInWithKeyboard(owner, "alice", E2E_DEMO_PASSWORD);
  await owner.getByRole("link", { name: "API tokens" }).click();
  await expect(owner.getByRole("heading", { level: 2, name: "Your tokens" })).toBeVisible();
  const tokenName = `alice laptop ${Date.now() % 100000}`;
  await owner.getByLabel("Name").fill(tokenName);
  await owner.getByRole("button", { name: "Create token" }).click();
  const token = (await owner.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^mops_/);
  await ownerContext.close();
  expect((await request.post("/api/2.0/mlflow/experiments/search", { data: {}, headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);

  await signInWithKeyboard(page, E2E_ADMIN_USERNAME, E2E_ADMIN_PASSWORD);
  await openAdminMenu(page);
  await page.getByRole("link", { name: "All tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "All API tokens" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: tokenName });
  await expect(row.getByRole("cell", { name: "alice", exact: true })).toBeVisible();
  await page.getByRole("button", { name: `Revoke alice's token ${tokenName}` }).click();
  await expect(page.getByRole("status")).toHaveText(`Revoked alice's token ${tokenName}: it stops working at once.`);
  await expect(row.getByText(/^revoked/)).toBeVisible();
  const revoked = await request.post("/api/2.0/mlflow/experiments/search", { data: {}, headers: { authorization: `Bearer ${token}` } });
  expect(revoked.status()).toBe(401);

  await openAdminMenu(page);
  await page.getByRole("link", { name: "Audit log" }).click();
  const entry = page.getByRole("row").filter({ hasText: "token.revoke" }).filter({ hasText: tokenName }).first();
  await expect(entry).toContainText("admin");
  await expect(entry).toContainText('"owner": "alice"');
});
