// Prepared hot reads: right rows, planner switches confined to their own statement, a failed statement leaving the pool usable.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "@/server/testing/test-database";
import { queryRows } from "./client";
import { queryRowsPrepared } from "./prepared-reads";

describe.each(testBackends)("queryRowsPrepared on %s", (kind) => {
  let studio: TestStudio;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
  });
  afterAll(async () => studio.close());

  const setting = sql`select current_setting('enable_sort') as sort, current_setting('enable_seqscan') as seqscan`;

  it("returns the statement's rows with its parameters, the same on every repetition", async () => {
    for (let i = 0; i < 8; i++) {
      const rows = await queryRowsPrepared<{ n: number; label: string }>(studio.db, sql`select ${i}::int as n, ${`run-${i}`}::text as label`);
      expect(rows).toEqual([{ n: i, label: `run-${i}` }]);
    }
  });

  it("plans a statement with the switches off, and leaves every pooled connection with them on", async () => {
    const [inside] = await queryRowsPrepared<{ sort: string; seqscan: string }>(studio.db, setting, ["enable_sort", "enable_seqscan"]);
    expect(inside).toEqual({ sort: "off", seqscan: "off" });
    // Every connection the pool may hand out next (the one just used is back once its commit is done).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await Promise.all(Array.from({ length: 4 }, () => queryRows<{ sort: string; seqscan: string }>(studio.db, setting)));
    for (const [row] of after) expect(row).toEqual({ sort: "on", seqscan: "on" });
  });

  it("refuses a failing statement and then answers the next one on the same pool", async () => {
    // drizzle (PGlite) wraps the driver's error as its cause; node-postgres's is thrown as is.
    const failure = (error: unknown) => `${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message ?? ""}`;
    await expect(queryRowsPrepared(studio.db, sql`select 1 / ${0}::int as n`, ["enable_sort"]).catch(failure)).resolves.toMatch(/division by zero/);
    await expect(queryRowsPrepared(studio.db, sql`select 1 / ${0}::int as n`).catch(failure)).resolves.toMatch(/division by zero/);
    for (let i = 0; i < 12; i++) {
      const [row] = await queryRowsPrepared<{ sort: string }>(studio.db, setting);
      expect(row.sort).toBe("on");
    }
  });
});
