// Journey of a script registering data over HTTP: a 12 MB CSV arrives whole (uploads bypass the proxy's
// 10 MB body buffer), the same bytes again are the same version, the profile comes as JSON once ready.
import { expect, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_USERNAME } from "./credentials";

const authorization = `Basic ${Buffer.from(`${E2E_ADMIN_USERNAME}:${E2E_ADMIN_PASSWORD}`).toString("base64")}`;

function bigCsv(rows: number): Buffer {
  const lines = ["id,value,group"];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i % 997) / 7},${i % 2 ? "odd" : "even"}`);
  return Buffer.from(lines.join("\n") + "\n");
}

test("a 12 MB CSV registers whole over the API, once, and its profile is served as JSON", async ({ request }) => {
  const rows = 600_000;
  const body = bigCsv(rows);
  expect(body.length).toBeGreaterThan(12 * 1024 * 1024);
  const name = `api-upload-${Date.now()}`;
  const meta = encodeURIComponent(JSON.stringify({ name, format: "csv", filename: "big.csv", masking: {} }));
  const upload = () =>
    request.post(`/api/datasets/upload?meta=${meta}`, { headers: { authorization, "content-type": "application/octet-stream" }, data: body });

  const first = await upload();
  expect(first.status(), await first.text()).toBe(201);
  const created = await first.json();
  expect(created.version.rowCount).toBe(rows);
  expect(created.version.sizeBytes).toBe(body.length);

  const again = await upload();
  expect(again.status()).toBe(200);
  expect((await again.json()).version).toMatchObject({ version: 1, digest: created.version.digest });

  await expect
    .poll(async () => (await request.get(`/api/datasets/${name}/versions/1/profile`, { headers: { authorization } })).status(), { timeout: 30_000 })
    .toBe(200);
  const profile = await (await request.get(`/api/datasets/${name}/versions/1/profile`, { headers: { authorization } })).json();
  expect(profile.profile.rowCount).toBe(rows);
  expect(profile.profile.columns.map((c: { name: string }) => c.name)).toEqual(["id", "value", "group"]);

  const bad = await request.post(`/api/datasets/upload?meta=${encodeURIComponent(JSON.stringify({ name: "has space", format: "csv" }))}`, {
    headers: { authorization },
    data: Buffer.from("a\n1\n"),
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).message).toMatch(/name/);
});

test("an API upload with personal data and no decision is refused (422) with the columns, findings and choices; 'keep' said out loud is stored and shown", async ({ request }) => {
  const name = `api-pii-${Date.now()}`;
  const body = Buffer.from("id,email,card,age\n1,ana@example.org,4970137264598853,34\n2,bob@example.org,4970667380310908,51\n");
  const post = (masking: Record<string, { action: string }>) =>
    request.post(`/api/datasets/upload?meta=${encodeURIComponent(JSON.stringify({ name, format: "csv", masking }))}`, {
      headers: { authorization, "content-type": "application/octet-stream" },
      data: body,
    });

  const refused = await post({});
  expect(refused.status()).toBe(422);
  const answer = await refused.json();
  expect(answer).toMatchObject({ error_code: "UNPROCESSABLE_CONTENT", reason: "pii_decision_required" });
  expect(answer.message).toMatch(/'email' \(email\) has no decision/);
  expect(answer.columns).toEqual([
    expect.objectContaining({ column: "email", choices: ["keep", "drop", "hash", "redact", "generalise"], detected: [expect.objectContaining({ kind: "email", share: 1 })] }),
    expect.objectContaining({ column: "card", choices: ["keep", "drop", "hash", "redact"], detected: [expect.objectContaining({ kind: "card" })] }),
  ]);
  expect((await request.get(`/api/datasets?q=${name}`, { headers: { authorization } }).then((r) => r.json())).datasets).toEqual([]);

  const stored = await post({ email: { action: "keep" }, card: { action: "drop" } });
  expect(stored.status(), await stored.text()).toBe(201);
  expect((await stored.json()).version.maskingPolicy).toEqual({ email: { action: "keep" }, card: { action: "drop" } });
  const download = await request.get(`/api/datasets/${name}/versions/1/download`, { headers: { authorization } });
  expect(download.headers()["cache-control"]).toBe("no-store");
  expect(await download.text()).toContain("ana@example.org");
});

test("a 12 MB artifact uploads and downloads whole through the MLflow artifact proxy", async ({ request }) => {
  const bytes = Buffer.alloc(12 * 1024 * 1024 + 123, 7);
  const path = `/api/2.0/mlflow-artifacts/artifacts/e2e-big/${Date.now()}/blob.bin`;
  const put = await request.put(path, { headers: { authorization }, data: bytes });
  expect(put.status(), await put.text()).toBe(200);
  const got = await request.get(path, { headers: { authorization } });
  expect((await got.body()).length).toBe(bytes.length);
});
