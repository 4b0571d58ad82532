// Sign-in limits that a rotating X-Forwarded-For cannot dodge, credentials that stop working the moment they are
// reset, disabled or revoked, and answers and logs that carry no hash or query parameter.
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { users } from "@/db/schema";
import { appRouter } from "../root-router";
import { toDomainError } from "../errors";
import { handleMlflowApi } from "../http/mlflow-api";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import type { Actor } from "./actor";
import { createUserAsSystem, resetUserPassword, setUserDisabled, setUserRole } from "./accounts";
import { authenticateRequest, clientAddressOf } from "./authenticate";
import { handleSignIn } from "./http";
import { SIGN_IN_LIMITS } from "./rate-limit";
import { zCreateUser } from "./schema";
import { sha256 } from "./sessions";
import { createToken, listOwnTokens, revokeToken } from "./tokens";

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

describe.each(testBackends)("shared auth state on %s", (backend) => {
  let studio: TestStudio;
  let admin: Actor;
  let n = 0;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: "root", password: "root-password-1", role: "admin" }));
    admin = { userId: user.userId, username: user.username, role: "admin", via: "session" };
  });
  afterAll(async () => studio.close());
  afterEach(() => {
    delete process.env.STUDIO_TRUST_PROXY;
  });

  async function newUser(role: "editor" | "viewer" = "editor") {
    const username = `u${++n}-${backend}`;
    const password = `password-of-${username}`;
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username, password, role }));
    return { username, password, actor: { userId: user.userId, username, role, via: "session" } as Actor };
  }

  function formSignIn(username: string, password: string, headers: Record<string, string> = {}) {
    return handleSignIn(
      new Request("http://studio.test/api/auth/sign-in", {
        method: "POST",
        body: JSON.stringify({ username, password }),
        headers: { "content-type": "application/json", origin: "http://studio.test", host: "studio.test", ...headers },
      }),
      studio.db,
    );
  }

  function rest(endpoint: string, body: unknown, headers: Record<string, string>) {
    const request = new Request(`http://studio.test/api/2.0/mlflow/${endpoint}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json", ...headers },
    });
    return handleMlflowApi(request, endpoint.split("/"), async (r) => ({ db: studio.db, artifacts: studio.artifacts, actor: await authenticateRequest(r, studio.db) }));
  }

  it("form sign-in: a new X-Forwarded-For per attempt does not reset the account's limit", async () => {
    const { username, password } = await newUser();
    for (let i = 0; i < SIGN_IN_LIMITS.account; i++) {
      const response = await formSignIn(username, `guess-${i}`, { "x-forwarded-for": `203.0.113.${i}` });
      expect(response.status).toBe(401);
    }
    const blocked = await formSignIn(username, password, { "x-forwarded-for": "198.51.100.77" });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error_code: "REQUEST_LIMIT_EXCEEDED", message: expect.stringMatching(/Try again in \d+ seconds/) });
    // The counter lives in the database, where every instance reads it (the refused attempt counted too).
    const [row] = await queryRows<{ failures: number }>(studio.db, sql`select failures from auth_throttle where throttle_key = ${`account:${username}`}`);
    expect(row.failures).toBe(SIGN_IN_LIMITS.account + 1);
  });

  it("Basic auth: a new X-Forwarded-For per attempt does not reset the account's limit either", async () => {
    const { username, password } = await newUser();
    for (let i = 0; i < SIGN_IN_LIMITS.account; i++) {
      const response = await rest("experiments/search", {}, { authorization: basic(username, `guess-${i}`), "x-forwarded-for": `203.0.113.${i}` });
      expect(response.status).toBe(401);
    }
    const blocked = await rest("experiments/search", {}, { authorization: basic(username, password), "x-forwarded-for": "198.51.100.78" });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error_code: "REQUEST_LIMIT_EXCEEDED" });
  });

  it("a burst of simultaneous guesses gets no more tries than the limit", async () => {
    const { username } = await newUser();
    const statuses = await Promise.all(
      Array.from({ length: 3 * SIGN_IN_LIMITS.account }, (_, i) => formSignIn(username, `burst-${i}`, { "x-forwarded-for": `203.0.113.${i}` }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_LIMITS.account);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2 * SIGN_IN_LIMITS.account);
  });

  it("X-Forwarded-For is believed only with STUDIO_TRUST_PROXY, and then only the hop our proxy wrote", () => {
    const request = { method: "POST", headers: new Headers({ "x-forwarded-for": "6.6.6.6, 192.0.2.10", "x-real-ip": "192.0.2.99" }) };
    expect(clientAddressOf(request)).toBeNull();
    process.env.STUDIO_TRUST_PROXY = "false";
    expect(clientAddressOf(request)).toBeNull();
    process.env.STUDIO_TRUST_PROXY = "true";
    expect(clientAddressOf(request)).toBe("192.0.2.10");
    process.env.STUDIO_TRUST_PROXY = "2";
    expect(clientAddressOf(request)).toBe("6.6.6.6");
    process.env.STUDIO_TRUST_PROXY = "1";
    expect(clientAddressOf({ method: "GET", headers: new Headers({ "x-real-ip": "192.0.2.99" }) })).toBe("192.0.2.99");
  });

  it("behind a trusted proxy, one client is refused sooner while the account's owner still gets in from elsewhere", async () => {
    process.env.STUDIO_TRUST_PROXY = "true";
    const { username, password } = await newUser();
    for (let i = 0; i < SIGN_IN_LIMITS.accountAndClient; i++) {
      // The attacker rotates the part of the header it controls; the proxy appends the real address.
      const response = await formSignIn(username, `guess-${i}`, { "x-forwarded-for": `10.9.9.${i}, 192.0.2.66` });
      expect(response.status).toBe(401);
    }
    expect((await formSignIn(username, password, { "x-forwarded-for": "10.1.1.1, 192.0.2.66" })).status).toBe(429);
    const owner = await formSignIn(username, password, { "x-forwarded-for": "192.0.2.20" });
    expect(owner.status).toBe(200);
    expect(owner.headers.get("set-cookie")).toMatch(/^studio_session=/);
  });

  it("an old password stops working over Basic auth the moment an admin resets it, and a disabled account at once", async () => {
    const { username, password } = await newUser();
    const ok = await rest("experiments/create", { name: `before-reset-${backend}` }, { authorization: basic(username, password) });
    expect(ok.status).toBe(200);
    // The second call is answered from the verified-credentials cache.
    expect((await rest("experiments/search", {}, { authorization: basic(username, password) })).status).toBe(200);
    const { password: newPassword } = await resetUserPassword(studio.as(admin), username);
    const old = await rest("experiments/create", { name: `after-reset-${backend}` }, { authorization: basic(username, password) });
    expect(old.status).toBe(401);
    expect((await rest("experiments/search", {}, { authorization: basic(username, newPassword) })).status).toBe(200);
    await setUserDisabled(studio.as(admin), username, true);
    expect((await rest("experiments/search", {}, { authorization: basic(username, newPassword) })).status).toBe(401);
    const created = await queryRows<{ name: string }>(studio.db, sql`select name from experiments where name like ${`%-reset-${backend}`}`);
    expect(created.map((r) => r.name)).toEqual([`before-reset-${backend}`]);
  });

  it("a revoked token, a disabled owner's token and a demoted owner's token change at once (nothing but the shared epoch tells the cache)", async () => {
    const editor = await newUser();
    const { token } = await createToken(studio.as(editor.actor), { name: "script" });
    const bearer = { authorization: `Bearer ${token}` };
    expect((await rest("experiments/create", { name: `tok-a-${backend}` }, bearer)).status).toBe(200);
    await setUserRole(studio.as(admin), editor.username, "viewer");
    expect((await rest("experiments/create", { name: `tok-b-${backend}` }, bearer)).status).toBe(403);
    expect((await rest("experiments/search", {}, bearer)).status).toBe(200);
    const [listed] = await listOwnTokens(studio.as({ ...editor.actor, role: "viewer" }));
    await revokeToken(studio.as({ ...editor.actor, role: "viewer" }), listed.tokenId);
    expect((await rest("experiments/search", {}, bearer)).status).toBe(401);

    const other = await newUser();
    const second = await createToken(studio.as(other.actor), { name: "other" });
    expect((await rest("experiments/search", {}, { authorization: `Bearer ${second.token}` })).status).toBe(200);
    await setUserDisabled(studio.as(admin), other.username, true);
    expect((await rest("experiments/search", {}, { authorization: `Bearer ${second.token}` })).status).toBe(401);
  });

  it("no auth answer carries a token hash, password hash or salt", async () => {
    const caller = appRouter.createCaller({ db: studio.db, artifacts: studio.artifacts, actor: admin, req: new Request("http://studio.test/api/trpc") });
    const created = await caller.auth.createToken({ name: "ci" });
    expect(Object.keys(created.summary).sort()).toEqual(["createdAt", "expiresAt", "lastUsedAt", "name", "prefix", "revokedAt", "scopes", "tokenId"]);
    const answers = JSON.stringify([created, await caller.auth.tokens(), await caller.auth.users(), await caller.auth.me(), await caller.auth.setRole({ username: admin.username, role: "admin" })]);
    expect(answers).not.toContain(sha256(created.token));
    expect(answers).not.toMatch(/"[a-z]*(hash|salt)[a-z]*":|\$argon2/i);
    const signIn = await formSignIn("root", "root-password-1");
    expect(await signIn.text()).not.toMatch(/hash|salt|argon2/i);
  });

  it("a failed query is logged without its parameters", async () => {
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args));
    const warnSpy = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void logged.push(args));
    try {
      const row = { userId: `dup-${backend}`, username: `dup-${backend}`, passwordHash: "$argon2id$SECRET-HASH-VALUE", role: "viewer", createdAt: 1, updatedAt: 1 };
      await studio.db.insert(users).values(row);
      const failure = await studio.db.insert(users).values(row).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      // Unredacted, drizzle's message and the driver's error both carry the hash.
      expect(inspect(failure, { depth: 10 })).toContain("SECRET-HASH-VALUE");
      const domain = toDomainError(failure);
      // A duplicate key that got past validation is the client's conflict, logged as a warning, still redacted.
      expect(domain.code).toBe("RESOURCE_ALREADY_EXISTS");
      expect(domain.message).not.toContain("SECRET");
      const text = logged.map((args) => args.map((a) => inspect(a, { depth: 10 })).join(" ")).join("\n");
      expect(text).toContain("Failed query: insert into \"users\"");
      expect(text).toContain("users_pkey");
      expect(text).not.toContain("SECRET-HASH-VALUE");
      expect(text).not.toContain(`dup-${backend}`);
    } finally {
      spy.mockRestore();
      warnSpy.mockRestore();
    }
  });
});
