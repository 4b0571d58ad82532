// An admin lists every user's tokens and revokes one (it stops at once, the audit log names owner and admin); nobody else may.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { appRouter } from "../root-router";
import { handleMlflowApi } from "../http/mlflow-api";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import type { Actor, Role } from "./actor";
import { createUserAsSystem } from "./accounts";
import { authenticateRequest } from "./authenticate";
import { zCreateUser } from "./schema";

describe.each(testBackends)("admin token management on %s", (backend) => {
  let studio: TestStudio;
  const callers = new Map<Role, ReturnType<typeof appRouter.createCaller>>();

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    for (const role of ["admin", "editor", "reviewer", "viewer"] as const) {
      const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `${role}-1`, password: "password-1234", role }));
      const actor: Actor = { userId: user.userId, username: user.username, role, via: "session" };
      callers.set(role, appRouter.createCaller({ ...studio.as(actor), req: new Request("http://studio.test/api/trpc") }));
    }
  });
  afterAll(async () => studio.close());

  const search = (token: string) =>
    handleMlflowApi(
      new Request("http://studio.test/api/2.0/mlflow/experiments/search", { method: "POST", body: "{}", headers: { authorization: `Bearer ${token}` } }),
      ["experiments", "search"],
      async (r) => ({ db: studio.db, artifacts: studio.artifacts, actor: await authenticateRequest(r, studio.db) }),
    );

  it("an admin sees every user's tokens with their owner and revokes another user's token, audited", async () => {
    const { token, summary } = await callers.get("editor")!.auth.createToken({ name: "laptop" });
    await callers.get("viewer")!.auth.createToken({ name: "notebook", scope: "serve" });
    expect((await search(token)).status).toBe(200);

    const listed = await callers.get("admin")!.auth.allTokens();
    expect(listed.map((t) => [t.owner, t.name]).sort()).toEqual([["editor-1", "laptop"], ["viewer-1", "notebook"]]);
    expect(JSON.stringify(listed)).not.toMatch(/hash|userId/i);

    await callers.get("admin")!.auth.revokeAnyToken({ tokenId: summary.tokenId });
    expect((await search(token)).status).toBe(401);
    expect((await callers.get("admin")!.auth.allTokens()).find((t) => t.tokenId === summary.tokenId)?.revokedAt).toEqual(expect.any(Number));
    const [entry] = await queryRows<{ actor_username: string; action: string; target_id: string; before: unknown }>(
      studio.db,
      sql`select actor_username, action, target_id, before from audit_log order by audit_id desc limit 1`,
    );
    expect(entry).toEqual({ actor_username: "admin-1", action: "token.revoke", target_id: summary.tokenId, before: { name: "laptop", owner: "editor-1", revokedAt: null } });
    await expect(callers.get("admin")!.auth.revokeAnyToken({ tokenId: summary.tokenId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("editors, reviewers and viewers can neither list nor revoke other users' tokens", async () => {
    const { token, summary } = await callers.get("admin")!.auth.createToken({ name: "admin's own" });
    for (const role of ["editor", "reviewer", "viewer"] as const) {
      await expect(callers.get(role)!.auth.allTokens()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(callers.get(role)!.auth.revokeAnyToken({ tokenId: summary.tokenId })).rejects.toMatchObject({ code: "FORBIDDEN" });
      // Their own-token revoke does not reach another user's token either.
      await expect(callers.get(role)!.auth.revokeToken({ tokenId: summary.tokenId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect((await search(token)).status).toBe(200);
  });
});
