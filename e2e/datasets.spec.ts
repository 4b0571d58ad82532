// Journey: drag a CSV with personal data onto the register form, see the PII warning, be refused until each flagged
// column has a decision, hash the e-mail column and keep the names out loud, register, read the profile and a preview
// that holds hashes and no e-mail address; declare a quality rule, upload a version (starting from the first one's
// decisions) that breaks it, and see it fail, with the reason, on the dataset page. Then a Parquet file with personal
// data and no decision: the server refuses it, the page lists the columns to decide, and deciding registers it.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME } from "./credentials";

const people = [
  "name,email,age,city",
  "Ana Lima,ana.lima@example.org,34,Paris",
  "Bruno Costa,bruno.costa@example.org,51,Lyon",
  "Chloé Martin,chloe.martin@example.org,27,Nice",
  "Diego Ruiz,diego.ruiz@example.org,45,Paris",
].join("\n");

/** Drops a file on the element the way a browser does: a DataTransfer carrying a File. */
async function dropFile(page: Page, selector: string, name: string, text: string) {
  const dataTransfer = await page.evaluateHandle(
    ([fileName, content]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], fileName, { type: "text/csv" }));
      return transfer;
    },
    [name, text] as const,
  );
  await page.dispatchEvent(selector, "dragover", { dataTransfer });
  await page.dispatchEvent(selector, "drop", { dataTransfer });
}

test("register a CSV with masked e-mails, read its profile and preview, then catch a bad version", async ({ page }) => {
  const name = `people-${Date.now()}`;
  await page.goto("/datasets");
  await page.getByRole("link", { name: "Register a dataset" }).click();
  await expect(page).toHaveURL(/\/datasets\/new/);

  await dropFile(page, '[data-testid="dataset-drop-zone"]', "people.csv", people);
  await expect(page.getByRole("heading", { name: /Personal data found in/ })).toBeVisible();
  const columns = page.getByRole("table", { name: "Columns and masking" });
  await expect(columns.getByRole("row", { name: /email/ })).toContainText(/e-mail/i);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Label column").selectOption("city");
  // Nothing is decided for the user: registering with flagged columns undecided is refused, naming them.
  await page.getByRole("button", { name: "Register version" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "flagged as personal data (name, email)" })).toBeVisible();
  await expect(page.getByText("Choose what happens to this column")).toHaveCount(2);
  await expect(page).toHaveURL(/\/datasets\/new/);
  // Generalise is offered for e-mails (→ domain), not for names, which have no coarser form.
  await expect(page.getByLabel("Masking for name").locator("option", { hasText: "Generalise" })).toHaveCount(0);
  await page.getByLabel("Masking for email").selectOption("hash");
  // Names are flagged by header: keeping them is a decision said out loud, recorded on the version.
  await page.getByLabel("Masking for name").selectOption("keep");
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "Register version" }).click();

  await expect(page).toHaveURL(new RegExp(`/datasets/${name}/versions/1`));
  await expect(page.getByText("kept as is by decision (keep): name")).toBeVisible();
  // Profiling runs in the background; the page follows it to the end.
  const profile = page.getByRole("table", { name: "Column profile" });
  await expect(profile).toBeVisible({ timeout: 30_000 });
  await expect(profile.getByRole("row", { name: /^age/ })).toContainText("4");
  await expectNoSeriousViolations(page);

  await page.getByRole("tab", { name: "Preview" }).or(page.getByRole("link", { name: "Preview", exact: true })).first().click();
  const preview = page.getByRole("table", { name: "Preview rows" });
  await expect(preview).toContainText("Ana Lima");
  await expect(preview).not.toContainText("@example.org");
  await expect(preview).toContainText(/[0-9a-f]{64}/);

  // A rule on the dataset, then a version that breaks it.
  await page.goto(`/datasets/${name}`);
  const addRule = page.getByRole("form", { name: "Add a quality rule" });
  await addRule.getByLabel("Rule").selectOption("range");
  await addRule.getByLabel("Column").fill("age");
  await addRule.getByLabel("Minimum").fill("18");
  await addRule.getByLabel("Maximum").fill("100");
  await addRule.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByRole("table", { name: "Quality rules" })).toContainText("age");

  await page.getByRole("link", { name: "Upload a new version" }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/new\\?dataset=${name}`));
  await dropFile(page, '[data-testid="dataset-drop-zone"]', "people-v2.csv", `${people}\nEve Stone,eve.stone@example.org,340,Paris`);
  await expect(page.getByRole("heading", { name: /Personal data found in/ })).toBeVisible();
  // A new version starts from the previous version's decisions.
  await expect(page.getByLabel("Masking for email")).toHaveValue("hash");
  await expect(page.getByLabel("Masking for name")).toHaveValue("keep");
  await expect(page.getByText("as in version 1")).toHaveCount(2);
  await page.getByRole("button", { name: "Register version" }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${name}/versions/2`));

  await page.goto(`/datasets/${name}`);
  const versions = page.getByRole("table", { name: "Dataset versions" });
  const v2 = versions.getByRole("row").filter({ has: page.getByRole("link", { name: "Version 2", exact: true }) });
  await expect(v2).toContainText(/failed/i, { timeout: 30_000 });
  await expect(v2).toContainText("not between 18 and 100");
  const v1 = versions.getByRole("row").filter({ has: page.getByRole("link", { name: "Version 1", exact: true }) });
  await expect(v1).not.toContainText(/failed/i);

  // Compare the two versions: same schema, the age column's distribution table.
  await page.goto(`/datasets/${name}/compare?reference=1&current=2`);
  const drift = page.getByRole("table", { name: "Column drift" });
  await expect(drift).toBeVisible({ timeout: 20_000 });
  await expect(drift.getByRole("row", { name: /^age/ })).toBeVisible();
  await expect(page.getByText("Same schema")).toBeVisible();

  // Mark version 1 as failed quality by hand; the reason follows it to the versions table.
  await page.goto(`/datasets/${name}/versions/1?tab=quality`);
  const mark = page.getByRole("form", { name: "Mark as failed quality" });
  await mark.getByLabel("Reason (required)").fill("collected before consent");
  await mark.getByRole("button", { name: "Mark as failed quality" }).click();
  await expect(page.getByRole("form", { name: "Clear the failed-quality mark" })).toBeVisible();
  await page.goto(`/datasets/${name}`);
  await expect(page.getByRole("table", { name: "Dataset versions" }).getByRole("row").filter({ has: page.getByRole("link", { name: "Version 1", exact: true }) })).toContainText(
    "collected before consent",
  );

  // A broken file is refused with the server's reason, and nothing is stored.
  await page.getByRole("link", { name: "Upload a new version" }).click();
  await dropFile(page, '[data-testid="dataset-drop-zone"]', "ragged.csv", "name,email,age,city\nZoe,z@example.org,30\n");
  await expect(page.getByLabel("Masking for email")).toHaveValue("hash");
  await page.getByRole("button", { name: "Register version" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /fields|columns/ })).toBeVisible();
  await page.goto(`/datasets/${name}`);
  await expect(page.getByRole("table", { name: "Dataset versions" }).getByRole("row")).toHaveCount(3);
});

/** A Parquet file of people with e-mails, card numbers and ages, written by DuckDB. */
async function peopleParquet(): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "e2e-parquet-"));
  const file = path.join(dir, "people.parquet");
  try {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT * FROM (VALUES ('ana.lima@example.org', '4970137264598853', 34), ('bruno.costa@example.org', '4970667380310908', 51),
        ('chloe.martin@example.org', '4556737586899855', 27)) AS t(email, card_number, age)) TO '${file}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("a Parquet upload with undecided personal data is refused, the page lists each column to decide, and deciding registers it", async ({ page }) => {
  const name = `people-parquet-${Date.now()}`;
  await page.goto("/datasets/new");
  await page.getByLabel("Choose a CSV or Parquet file").setInputFiles({ name: "people.parquet", mimeType: "application/octet-stream", buffer: await peopleParquet() });
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Register version" }).click();

  // The server scanned the file and refused it: nothing stored, each flagged column listed with what was found.
  await expect(page.getByRole("alert").filter({ hasText: "Personal data needs a decision before it is stored" })).toBeVisible({ timeout: 20_000 });
  const columns = page.getByRole("table", { name: "Columns and masking" });
  await expect(columns.getByRole("row", { name: /email/ })).toContainText("look like e-mail addresses");
  await expect(columns.getByRole("row", { name: /card_number/ })).toContainText("look like payment card numbers");
  await expect(page.getByText("Choose what happens to this column")).toHaveCount(2);
  await page.goto("/datasets");
  await expect(page.getByRole("link", { name })).toHaveCount(0);
  await page.goBack();

  await page.getByLabel("Choose a CSV or Parquet file").setInputFiles({ name: "people.parquet", mimeType: "application/octet-stream", buffer: await peopleParquet() });
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Register version" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Personal data needs a decision" })).toBeVisible({ timeout: 20_000 });
  await page.getByLabel("Masking for email").selectOption("generalise");
  await expect(page.getByText("values become the address's domain")).toBeVisible();
  await page.getByLabel("Masking for card_number").selectOption("drop");
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "Register version" }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${name}/versions/1`), { timeout: 20_000 });
  await page.getByRole("tab", { name: "Preview" }).click();
  const preview = page.getByRole("table", { name: "Preview rows" });
  await expect(preview).toContainText("example.org");
  await expect(preview).not.toContainText("ana.lima");
  await expect(preview).not.toContainText("4970137264598853");
});

test("delete a dataset version from its page, asked first", async ({ page, request }) => {
  const authorization = `Basic ${Buffer.from(`${E2E_ADMIN_USERNAME}:${E2E_ADMIN_PASSWORD}`).toString("base64")}`;
  const name = `deletable-${Date.now()}`;
  for (const [file, body] of [["a.csv", "x,y\n1,2\n3,4\n"], ["b.csv", "x,y\n5,6\n7,8\n9,10\n"]] as const) {
    const meta = encodeURIComponent(JSON.stringify({ name, format: "csv", filename: file, masking: {} }));
    const upload = await request.post(`/api/datasets/upload?meta=${meta}`, { headers: { authorization, "content-type": "application/octet-stream" }, data: body });
    expect(upload.status(), await upload.text()).toBe(201);
  }
  // A version being profiled is refused (409): wait until the profile is served.
  await expect
    .poll(async () => (await request.get(`/api/datasets/${name}/versions/2/profile`, { headers: { authorization } })).status(), { timeout: 30_000 })
    .toBe(200);
  await page.goto(`/datasets/${name}/versions/2`);
  await expect(page.getByRole("heading", { level: 1, name: `${name} · version 2` })).toBeVisible();
  await page.getByRole("button", { name: "Delete version" }).click();
  await expect(page.getByRole("alertdialog")).toContainText(`Delete version 2 of ${name} and its stored file?`);
  await page.getByRole("button", { name: "Keep it" }).click();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await page.getByRole("button", { name: "Delete version" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page).toHaveURL(new RegExp(`/datasets/${name}$`));
  await expect(page.getByRole("link", { name: "Version 1", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Version 2", exact: true })).toHaveCount(0);
  await expectNoSeriousViolations(page);
  expect((await page.goto(`/datasets/${name}/versions/2`))?.status()).toBe(404);
});
