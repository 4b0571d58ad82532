// Accounts, sessions, tokens and the audit log, end to end through the real handlers and database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { handleMlflowApi } from "../http/mlflow-api";
import { systemActor, type Actor } from "./actor";
import { createUser, createUserAsSystem, ensureAdminAccount, setUserDisabled, setUserRole } from "./accounts";
import { authenticateRequest } from "./authenticate";
import { actorFromSession, signIn } from "./sessions";
import { createToken, listOwnTokens, revokeToken } from "./tokens";
import { zCreateToken, zCreateUser } from "./schema";

describe.each(testBackends)("auth on %s", (backend) => {
  let studio: TestStudio;
  let admin: Actor;
  let editor: Actor;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    process.env.STUDIO_ADMIN_PASSWORD = "admin-password-123";
    const created = await ensureAdminAccount(studio.db);
    expect(created).toMatchObject({ created: true, generated: false });
    expect(await ensureAdminAccount(studio.db)).toEqual({ created: false });
    admin = (await signIn(studio.db, { username: "admin", password: "admin-password-123", clientKey: "t" })).actor;
    await createUser(studio.as(admin), zCreateUser.parse({ username: "Erin", password: "editor-password-1", role: "editor" }));
    editor = (await signIn(studio.db, { username: "erin", password: "editor-password-1", clientKey: "t" })).actor;
  });
  afterAll(async () => {
    delete process.env.STUDIO_ADMIN_PASSWORD;
    await studio.close();
  });

  /** Calls the MLflow REST API with real authentication against this test database. */
  function rest(endpoint: string, body: unknown, headers: Record<string, string>) {
    const request = new Request(`http://studio.test/api/2.0/mlflow/${endpoint}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...headers },
    });
    return handleMlflowApi(request, endpoint.split("/"), async (r) => ({
      db: studio.db,
      artifacts: studio.artifacts,
      actor: await authenticateRequest(r, studio.db),
    }));
  }

  it("stores usernames lowercased and refuses look-alike unicode and markup", async () => {
    expect(editor.username).toBe("erin");
    for (const username of ["аdmin" /* Cyrillic а */, "ad\u200bmin", "<script>", "x".repeat(65), "a' or 1=1 --"]) {
      expect(zCreateUser.safeParse({ username, password: "long-enough-pw", role: "viewer" }).success).toBe(false);
    }
    await expect(createUserAsSystem(studio.db, zCreateUser.parse({ username: "ERIN", password: "another-password", role: "viewer" }))).rejects.toThrow(/already exists/);
  });

  it("stores SQL and HTML in free-text fields inert, exactly as typed", async () => {
    const hostile = `'); drop table users; -- <img src=x onerror=alert(1)>`;
    expect(zCreateToken.safeParse({ name: "evil\u202etxt.exe" }).success).toBe(false);
    const { summary } = await createToken(studio.as(editor), { name: hostile });
    expect(summary.name).toBe(hostile);
    const listed = await listOwnTokens(studio.as(editor));
    expect(listed.map((t) => t.name)).toContain(hostile);
    const display = `<b>Bold</b> "quoted" ' OR 1=1`;
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `html-${backend}`, displayName: display, password: "html-password-1", role: "viewer" }));
    expect(user.displayName).toBe(display);
    expect(zCreateUser.safeParse({ username: "x1", displayName: "evil\u202ename", password: "html-password-1", role: "viewer" }).success).toBe(false);
    expect(zCreateUser.safeParse({ username: "x1", password: "short", role: "viewer" }).success).toBe(false);
    expect(zCreateUser.safeParse({ username: "x1", password: "long-enough-pw", role: "superuser" }).success).toBe(false);
    const users = await queryRows<{ n: number }>(studio.db, sql`select count(*)::int as n from users`);
    expect(users[0].n).toBeGreaterThan(1);
  });

  it("token lifecycle: create → Bearer and Basic work → revoke → 401", async () => {
    const { token } = await createToken(studio.as(editor), { name: "ci" });
    const bearer = await rest("experiments/create", { name: `tok-${backend}` }, { authorization: `Bearer ${token}` });
    expect(bearer.status).toBe(200);
    const basic = await rest(
      "experiments/create",
      { name: `basic-${backend}` },
      { authorization: `Basic ${Buffer.from("erin:editor-password-1").toString("base64")}` },
    );
    expect(basic.status).toBe(200);
    const listed = await listOwnTokens(studio.as(editor));
    expect(listed[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(token);
    await revokeToken(studio.as(editor), listed[0].tokenId);
    const after = await rest("experiments/create", { name: `late-${backend}` }, { authorization: `Bearer ${token}` });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error_code: "UNAUTHENTICATED" });
    const none = await rest("experiments/create", { name: `anon-${backend}` }, {});
    expect(none.status).toBe(401);
    const wrong = await rest("experiments/create", { name: `wrong-${backend}` }, { authorization: `Basic ${Buffer.from("erin:nope").toString("base64")}` });
    expect(wrong.status).toBe(401);
    const names = await queryRows<{ name: string }>(studio.db, sql`select name from experiments where name like ${`%-${backend}`}`);
    expect(names.map((n) => n.name).sort()).toEqual([`basic-${backend}`, `tok-${backend}`]);
  });

  it("records the authenticated user on runs, not what the client claims", async () => {
    const { token } = await createToken(studio.as(editor), { name: "runs" });
    const response = await rest("runs/create", { experiment_id: "0", user_id: "mallory" }, { authorization: `Bearer ${token}` });
    const body = (await response.json()) as { run: { info: { user_id: string }; data: { tags: { key: string; value: string }[] } } };
    expect(body.run.info.user_id).toBe("erin");
    expect(body.run.data.tags).toContainEqual({ key: "mlflow.user", value: "erin" });
  });

  it("a disabled account's sessions and tokens stop working at once", async () => {
    await createUserAsSystem(studio.db, zCreateUser.parse({ username: "dana", password: "dana-password-1", role: "viewer" }));
    const session = await signIn(studio.db, { username: "dana", password: "dana-password-1", clientKey: "t" });
    const { token } = await createToken(studio.as(session.actor), { name: "d" });
    expect(await actorFromSession(studio.db, session.cookieValue)).not.toBeNull();
    await setUserDisabled(studio.as(admin), "dana", true);
    expect(await actorFromSession(studio.db, session.cookieValue)).toBeNull();
    const response = await rest("runs/search", { experiment_ids: ["0"] }, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
    await expect(signIn(studio.db, { username: "dana", password: "dana-password-1", clientKey: "t" })).rejects.toThrow("Wrong username or password.");
  });

  it("rate-limits repeated failed sign-ins and never echoes the password", async () => {
    const attacker = `attacker-${backend}`;
    for (let i = 0; i < 5; i++) {
      const failure = await signIn(studio.db, { username: "admin", password: `guess-${i}`, clientKey: attacker }).catch((e: Error) => e);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe("Wrong username or password.");
    }
    await expect(signIn(studio.db, { username: "admin", password: "admin-password-123", clientKey: attacker })).rejects.toThrow(/Too many failed sign-in attempts/);
    // Another client is not locked out by the attacker.
    await expect(signIn(studio.db, { username: "admin", password: "admin-password-123", clientKey: `office-${backend}` })).resolves.toBeTruthy();
  });

  it("keeps at least one active admin", async () => {
    await expect(setUserRole(studio.as(admin), "admin", "viewer")).rejects.toThrow(/last active admin/);
    await expect(setUserDisabled(studio.as(admin), "admin", true)).rejects.toThrow(/your own account/);
  });

  it("non-admins cannot manage users", async () => {
    await expect(createUser(studio.as(editor), zCreateUser.parse({ username: "eve", password: "eve-password-1", role: "admin" }))).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    const rows = await queryRows(studio.db, sql`select 1 from users where username = 'eve'`);
    expect(rows).toHaveLength(0);
  });

  it("audit log: one entry per change with the right actor; UPDATE and DELETE fail at the database", async () => {
    const before = await queryRows<{ n: number }>(studio.db, sql`select count(*)::int as n from audit_log`);
    await setUserRole(studio.as(admin), "erin", "reviewer");
    const entries = await queryRows<{ actor_username: string; action: string; target_id: string; before: unknown; after: unknown }>(
      studio.db,
      sql`select actor_username, action, target_id, before, after from audit_log order by audit_id desc limit 1`,
    );
    const after = await queryRows<{ n: number }>(studio.db, sql`select count(*)::int as n from audit_log`);
    expect(after[0].n - before[0].n).toBe(1);
    expect(entries[0]).toEqual({ actor_username: "admin", action: "user.role", target_id: "erin", before: { role: "editor" }, after: { role: "reviewer" } });
    for (const statement of [sql`update audit_log set actor_username = 'someone-else'`, sql`delete from audit_log`, sql`truncate audit_log`]) {
      const failure = await studio.db.execute(statement).then(
        () => "succeeded",
        (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
      );
      expect(failure).toMatch(/audit_log is append-only/);
    }
    expect((await queryRows<{ n: number }>(studio.db, sql`select count(*)::int as n from audit_log`))[0].n).toBe(after[0].n);
    expect(systemActor.role).toBe("admin");
  });
});
