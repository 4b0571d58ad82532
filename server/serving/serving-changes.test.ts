// Every change to what a model reference resolves to announces itself on NOTIFY studio_serving (migration 0027's
// triggers), whichever write path makes it: alias set, rollback and delete, stage transition, canary/shadow routes,
// version deletion, rename (both names) and model deletion. Nothing is announced for a rolled-back change.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { deploymentRoutes } from "@/db/schema";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { systemActor } from "../auth/actor";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { deleteModelAlias, deleteRegisteredModel, renameRegisteredModel, setModelAlias } from "../registry/registered-models";
import { deleteModelVersion, findRegisteredModel, transitionModelVersionStage } from "../registry/model-versions";
import { SERVING_CHANNEL } from "./serving-changes";

describe.each(testBackends)("serving change notifications on %s", (backend) => {
  let studio: TestStudio;
  const heard: string[] = [];
  let stopListening: () => Promise<void>;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    const client = (studio.db as unknown as { $client: unknown }).$client;
    if (backend === "pglite") {
      const pglite = client as { listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> };
      stopListening = await pglite.listen(SERVING_CHANNEL, (payload) => heard.push(payload));
    } else {
      const { Client } = await import("pg");
      const listener = new Client((client as { options: Record<string, unknown> }).options);
      await listener.connect();
      listener.on("notification", (message) => heard.push(message.payload ?? ""));
      await listener.query(`listen ${SERVING_CHANNEL}`);
      stopListening = () => listener.end();
    }
    const bytes = new Uint8Array(await readFile("fixtures/models/credit-logreg.onnx"));
    const system = studio.as(systemActor);
    for (let i = 0; i < 3; i++) await registerOnnxUpload(system, { name: "credit", bytes });
  });
  afterAll(async () => {
    await stopListening?.();
    await studio?.close();
  });

  /** The payloads announced by `change` (waits a moment for delivery). */
  async function announced(change: () => Promise<unknown>): Promise<string[]> {
    heard.length = 0;
    await change();
    for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 30));
    return [...new Set(heard)].sort();
  }

  it("announces alias, stage, route and version changes by the model's name", async () => {
    const system = studio.as(systemActor);
    expect(await announced(() => setModelAlias(system, { name: "credit", alias: "production", version: "1", overrideReason: "notification test" }))).toEqual(["credit"]);
    expect(await announced(() => setModelAlias(system, { name: "credit", alias: "production", version: "2", overrideReason: "notification test" }))).toEqual(["credit"]);
    expect(await announced(() => setModelAlias(system, { name: "credit", alias: "production", version: "1", rollbackFrom: "2", overrideReason: "notification test" }))).toEqual(["credit"]);
    expect(await announced(() => setModelAlias(system, { name: "credit", alias: "staging", version: "2" }))).toEqual(["credit"]);
    expect(await announced(() => deleteModelAlias(system, { name: "credit", alias: "staging" }))).toEqual(["credit"]);
    expect(await announced(() => transitionModelVersionStage(system, { name: "credit", version: "2", stage: "Staging" }))).toEqual(["credit"]);
    const model = await findRegisteredModel(studio.db, "credit");
    expect(await announced(() => studio.db.insert(deploymentRoutes).values({ modelId: model.modelId, canaryShare: 0.1, updatedAt: Date.now(), updatedBy: "test" }))).toEqual(["credit"]);
    expect(await announced(() => studio.db.update(deploymentRoutes).set({ canaryShare: 0.2 }).where(eq(deploymentRoutes.modelId, model.modelId)))).toEqual(["credit"]);
    expect(await announced(() => deleteModelVersion(system, "credit", "3"))).toEqual(["credit"]);
  });

  it("announces nothing for a change that rolls back", async () => {
    const payloads = await announced(async () => {
      await studio.db
        .transaction(async (tx) => {
          await tx.execute(sql`delete from registered_model_aliases where alias = 'production'`);
          throw new Error("rolled back on purpose");
        })
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    expect(payloads).toEqual([]);
  });

  it("announces a rename under both names and a deletion under the model's name", async () => {
    const system = studio.as(systemActor);
    expect(await announced(() => renameRegisteredModel(system, "credit", "credit-scoring"))).toEqual(["credit", "credit-scoring"]);
    const payloads = await announced(() => deleteRegisteredModel(system, "credit-scoring"));
    // The cascaded alias and version rows no longer find their model's name: they ask for every model ('*').
    expect(payloads).toContain("credit-scoring");
    expect(payloads.every((p) => p === "credit-scoring" || p === "*")).toBe(true);
  });
});
