// Saved views: named runs-table and compare views of an experiment, shared or private to their owner, one default
// (shared) runs view per experiment.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";

describe.each(testBackends)("saved views on %s", (kind) => {
  let studio: TestStudio;
  let trpc: ReturnType<typeof appRouter.createCaller>;
  let viewer: ReturnType<typeof appRouter.createCaller>;
  let experimentId: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
    viewer = appRouter.createCaller({ ...studio.as({ userId: "v", username: "vera", role: "viewer", via: "session" }), req: new Request("http://studio.test/api/trpc") });
    experimentId = (await trpc.tracking.createExperiment({ name: "views" })).experiment_id;
  });
  afterAll(async () => studio.close());

  const bestFirst = { query: { filter: "metrics.acc > 0.8", order: "metrics.`acc` DESC", cols: "metrics.acc,params.lr", open: "abc" }, layout: { widths: { "metrics.acc": 200 }, pinned: ["params.lr"] } };

  it("saves a runs view, lists it to every reader, and replaces it when saved again under its name", async () => {
    const saved = await trpc.tracking.saveView({ experimentId, kind: "runs", name: "Best first", state: bestFirst });
    expect(saved).toMatchObject({ name: "Best first", kind: "runs", isDefault: false, state: bestFirst });
    const updated = { ...bestFirst, query: { ...bestFirst.query, filter: "metrics.acc > 0.9" } };
    const again = await trpc.tracking.saveView({ experimentId, kind: "runs", name: "Best first", state: updated });
    expect(again.viewId).toBe(saved.viewId);
    const listed = await viewer.tracking.savedViews({ experimentId, kind: "runs" });
    expect(listed.map((v) => [v.name, v.state.query.filter])).toEqual([["Best first", "metrics.acc > 0.9"]]);
    expect(await viewer.tracking.savedViews({ experimentId, kind: "compare" })).toEqual([]);
    const audit = await studio.db.select().from(auditLog).where(eq(auditLog.targetId, experimentId));
    expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(["saved_view.create", "saved_view.update"]));
  });

  it("keeps one default runs view per experiment", async () => {
    const a = await trpc.tracking.saveView({ experimentId, kind: "runs", name: "A", state: { query: { order: "attributes.run_name ASC" } }, makeDefault: true });
    const b = await trpc.tracking.saveView({ experimentId, kind: "runs", name: "B", state: { query: {} } });
    await trpc.tracking.setDefaultView({ experimentId, viewId: b.viewId });
    const defaults = (await trpc.tracking.savedViews({ experimentId, kind: "runs" })).filter((v) => v.isDefault).map((v) => v.name);
    expect(defaults).toEqual(["B"]);
    await trpc.tracking.setDefaultView({ experimentId, viewId: null });
    expect((await trpc.tracking.savedViews({ experimentId, kind: "runs" })).some((v) => v.isDefault)).toBe(false);
    // A compare view cannot be the experiment's default.
    const compare = await trpc.tracking.saveView({ experimentId, kind: "compare", name: "Loss, log scale", state: { query: { runs: "r1,r2", log: "1", metrics: "loss" } } });
    await expect(trpc.tracking.setDefaultView({ experimentId, viewId: compare.viewId })).rejects.toThrow(/only a runs-table view can be/);
    await trpc.tracking.deleteView({ experimentId, viewId: a.viewId });
    expect((await trpc.tracking.savedViews({ experimentId, kind: "runs" })).map((v) => v.name)).toEqual(["B", "Best first"]);
  });

  it("refuses a viewer's writes and says what to fix in bad input, writing nothing", async () => {
    await expect(viewer.tracking.saveView({ experimentId, kind: "runs", name: "Mine", state: { query: {} } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(trpc.tracking.saveView({ experimentId, kind: "runs", name: "  ", state: { query: {} } })).rejects.toThrow(/Give the view a name/);
    await expect(
      trpc.tracking.saveView({ experimentId, kind: "runs", name: "Odd", state: { query: { sel: "r1" } } as never }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc.tracking.saveView({ experimentId: "999999", kind: "runs", name: "Nowhere", state: { query: {} } })).rejects.toThrow(/No experiment with id=999999/);
    await expect(trpc.tracking.deleteView({ experimentId, viewId: 424242 })).rejects.toThrow(/No shared view with id 424242/);
    expect((await trpc.tracking.savedViews({ experimentId, kind: "runs" })).map((v) => v.name)).toEqual(["B", "Best first"]);
  });

  it("keeps a private view to its owner, beside a shared one of the same name, until the owner shares it", async () => {
    const editor = appRouter.createCaller({ ...studio.as({ userId: "e", username: "eddie", role: "editor", via: "session" }), req: new Request("http://studio.test/api/trpc") });
    const grouped = { query: { group: "params.lr", order: "metrics.`acc` DESC" } };
    // A viewer keeps views of their own, though they cannot share one.
    const mine = await viewer.tracking.savePrivateView({ experimentId, kind: "runs", name: "B", state: grouped });
    expect(mine).toMatchObject({ name: "B", visibility: "private", isDefault: false, createdBy: "vera", state: grouped });
    const names = async (caller: typeof trpc) => (await caller.tracking.savedViews({ experimentId, kind: "runs" })).map((v) => `${v.name} (${v.visibility})`);
    expect(await names(viewer)).toEqual(["B (shared)", "B (private)", "Best first (shared)"]);
    expect(await names(editor)).toEqual(["B (shared)", "Best first (shared)"]);
    // Saving again replaces the private one, not the shared view of the same name.
    await viewer.tracking.savePrivateView({ experimentId, kind: "runs", name: "B", state: { query: { group: "tags.model" } } });
    const shared = (await editor.tracking.savedViews({ experimentId, kind: "runs" })).find((v) => v.name === "B")!;
    expect(shared.state.query).toEqual({});
    // Nobody else reaches it by id: not to delete, share or make default.
    await expect(editor.tracking.deletePrivateView({ experimentId, viewId: mine.viewId })).rejects.toThrow(/no private view with id/);
    await expect(editor.tracking.shareView({ experimentId, viewId: mine.viewId })).rejects.toThrow(/no private view with id/);
    await expect(trpc.tracking.deleteView({ experimentId, viewId: mine.viewId })).rejects.toThrow(/No shared view/);
    await expect(trpc.tracking.setDefaultView({ experimentId, viewId: mine.viewId })).rejects.toThrow(/must be shared before it can be the experiment's default/);
    // A viewer may not share; the owner deletes their own.
    await expect(viewer.tracking.shareView({ experimentId, viewId: mine.viewId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await viewer.tracking.deletePrivateView({ experimentId, viewId: mine.viewId })).toEqual({ deleted: "B" });
    expect(await names(viewer)).toEqual(["B (shared)", "Best first (shared)"]);

    // An editor's private view becomes shared (same id) unless a shared view already has its name.
    const draft = await editor.tracking.savePrivateView({ experimentId, kind: "runs", name: "By lr", state: grouped });
    const clash = await editor.tracking.savePrivateView({ experimentId, kind: "runs", name: "Best first", state: grouped });
    await expect(editor.tracking.shareView({ experimentId, viewId: clash.viewId })).rejects.toThrow(/A shared view named 'Best first' already exists/);
    const published = await editor.tracking.shareView({ experimentId, viewId: draft.viewId });
    expect(published).toMatchObject({ viewId: draft.viewId, visibility: "shared", state: grouped });
    expect(await names(viewer)).toEqual(["B (shared)", "Best first (shared)", "By lr (shared)"]);
    await trpc.tracking.setDefaultView({ experimentId, viewId: published.viewId });
    expect((await viewer.tracking.savedViews({ experimentId, kind: "runs" })).find((v) => v.isDefault)?.name).toBe("By lr");
    const audit = await studio.db.select().from(auditLog).where(eq(auditLog.targetId, experimentId));
    expect(audit.map((entry) => entry.action)).toContain("saved_view.share");
  });
});
