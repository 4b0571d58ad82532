// Independent reads inside a transaction go to its one connection one after another: node-postgres warns (and pg 9
// will refuse) when a query is sent to a client still running another. Creating a registered model reads its tags,
// aliases and latest versions (and theirs) inside its transaction: none of those reads may overlap. On a pool the same
// reads still go side by side. PostgreSQL only (TEST_DATABASE_URL): PGlite has no such client.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createRegisteredModel } from "@/server/registry/registered-models";
import { createTestStudio, testBackends, type TestStudio } from "@/server/testing/test-database";
import { independentQueries } from "./independent-queries";

/** node-postgres's own state of a client (private fields, read only here): a query in flight, queries queued behind it. */
type ClientState = { _activeQuery?: unknown; _queryQueue?: unknown[] };

describe.skipIf(!testBackends.includes("postgres"))("independent queries on PostgreSQL", () => {
  let studio: TestStudio;
  const overlaps: string[] = [];
  const prototype = (pg as unknown as { Client: { prototype: { query: (...args: unknown[]) => unknown } } }).Client.prototype;
  const query = prototype.query;

  beforeAll(async () => {
    studio = await createTestStudio("postgres");
    // Every query sent while its client is busy is noted (the case pg deprecates).
    prototype.query = function (this: ClientState, ...args: unknown[]) {
      if (this._activeQuery || this._queryQueue?.length) overlaps.push(String((args[0] as { text?: string })?.text ?? args[0]).slice(0, 80));
      return query.apply(this, args);
    };
  });
  afterAll(async () => {
    prototype.query = query;
    await studio?.close();
  });

  it("sends a transaction's reads one at a time, so pg never queues one behind another", async () => {
    overlaps.length = 0;
    const model = await createRegisteredModel(studio.as({ userId: "u-ada", username: "ada", role: "admin", via: "session" }), {
      name: "overlap-check",
      tags: [{ key: "team", value: "risk" }],
    });
    expect(model.tags).toEqual([{ key: "team", value: "risk" }]);
    const inTransaction = await studio.db.transaction((tx) =>
      independentQueries(
        tx,
        () => tx.execute(sql`select 1 as one`),
        () => tx.execute(sql`select 2 as two`),
      ),
    );
    expect(inTransaction.map((r) => (r as unknown as { rows: unknown[] }).rows[0])).toEqual([{ one: 1 }, { two: 2 }]);
    expect(overlaps).toEqual([]);
  });

  it("on a pool, sends them side by side on connections of their own", async () => {
    overlaps.length = 0;
    const backends = await independentQueries(
      studio.db,
      () => studio.db.execute(sql`select pg_backend_pid() as pid, pg_sleep(0.2)`),
      () => studio.db.execute(sql`select pg_backend_pid() as pid, pg_sleep(0.2)`),
    );
    const pids = backends.map((r) => ((r as unknown as { rows: { pid: number }[] }).rows[0]!.pid));
    // Two connections at once: the second was not queued behind the first on the same client.
    expect(new Set(pids).size).toBe(2);
    expect(overlaps).toEqual([]);
  });
});
