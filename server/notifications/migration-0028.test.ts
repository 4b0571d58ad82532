// Migration 0028 on a database that already holds webhooks with plain-text secrets: the hint is taken in SQL, the
// secret stays where it was (SQL has no key), and the start-up step seals it, after which no plain secret is left and
// the hook still signs with the same secret.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, type Database } from "@/db/client";
import * as schema from "@/db/schema";
import { openSecret } from "../auth/secret-box";
import { sealPlainWebhookSecrets } from "./webhooks";

describe("migration 0028 on webhooks with plain secrets", () => {
  let client: PGlite;
  let before: string;
  const rows = async <T,>(query: string) => (await client.query<T>(query)).rows;

  beforeAll(async () => {
    before = await mkdtemp(path.join(os.tmpdir(), "studio-migrations-"));
    await cp(migrationsFolder, before, { recursive: true });
    const journal = JSON.parse(await readFile(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
    const cut = journal.entries.findIndex((entry) => entry.tag === "0028_route_counts_sealed_webhook_secrets");
    await writeFile(path.join(before, "meta/_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
    client = new PGlite();
    await migrate(drizzle(client), { migrationsFolder: before });
    await client.exec(`
      insert into webhooks (name, url, secret, events, enabled, created_by, created_at, updated_at) values
        ('chat', 'https://hooks.example.com/a', 'whsec_plain-secret-from-before-A1b2', '["review.requested"]', true, 'ada', 1, 1),
        ('ops', 'https://hooks.example.com/b', 'another-plain-secret-Z9y8', '["model.promoted"]', false, 'ada', 1, 1);
    `);
  });
  afterAll(async () => {
    await client.close();
    await rm(before, { recursive: true, force: true });
  });

  it("keeps each hook's hint, then seals every plain secret once at start-up", async () => {
    await migrate(drizzle(client), { migrationsFolder });
    expect(await rows("select name, secret, sealed_secret, secret_hint from webhooks order by hook_id")).toEqual([
      { name: "chat", secret: "whsec_plain-secret-from-before-A1b2", sealed_secret: null, secret_hint: "…A1b2" },
      { name: "ops", secret: "another-plain-secret-Z9y8", sealed_secret: null, secret_hint: "…Z9y8" },
    ]);
    const db = drizzle(client, { schema }) as unknown as Database;
    expect(await sealPlainWebhookSecrets(db)).toBe(2);
    expect(await sealPlainWebhookSecrets(db)).toBe(0);
    const sealed = await rows<{ secret: string | null; sealed_secret: string; secret_hint: string }>("select secret, sealed_secret, secret_hint from webhooks order by hook_id");
    expect(sealed.map((r) => r.secret)).toEqual([null, null]);
    expect(sealed.map((r) => r.secret_hint)).toEqual(["…A1b2", "…Z9y8"]);
    expect(JSON.stringify(await rows("select * from webhooks"))).not.toMatch(/plain-secret/);
    expect(sealed.map((r) => openSecret(r.sealed_secret, "webhook-secret"))).toEqual(["whsec_plain-secret-from-before-A1b2", "another-plain-secret-Z9y8"]);
  });
});
