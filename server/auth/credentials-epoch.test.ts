// The credentials epoch is kept in memory (issue 18) and still a revoke, a disable or a role change bites at once in
// the process that made it, and within a second in another process on the same PostgreSQL (told by NOTIFY).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { openDatabase, queryRows, type DatabaseHandle } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import type { Actor } from "./actor";
import { createUserAsSystem, setUserDisabled, setUserRole } from "./accounts";
import { credentialsListenerPid, readCredentialsEpoch } from "./credentials-epoch";
import { zCreateUser } from "./schema";
import { TOKEN_GRANT_CACHE_MS, createToken, grantFromToken, grantKnownNow, listOwnTokens, revokeToken } from "./tokens";
import { actorKnownNow, resolveActor, type ResolveOptions } from "./authenticate";

/** Moves the stored epoch behind the caches' back: no changeCredentials, no NOTIFY. */
async function moveEpochSilently(handle: { db: TestStudio["db"] }): Promise<number> {
  const [row] = await queryRows<{ epoch: string }>(handle.db, sql`update auth_state set credentials_epoch = credentials_epoch + 1 where id = 1 returning credentials_epoch as epoch`);
  return Number(row.epoch);
}

async function waitFor(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < withinMs) {
    if (await check()) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not within ${withinMs} ms`);
}

describe.each(testBackends)("credentials epoch cache on %s", (backend) => {
  let studio: TestStudio;
  let admin: Actor;
  let n = 0;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: "root", password: "root-password-1", role: "admin" }));
    admin = { userId: user.userId, username: user.username, role: "admin", via: "session" };
    if (backend === "postgres") await waitFor(async () => credentialsListenerPid(studio.db) !== null, 5_000);
  });
  afterAll(async () => studio.close());
  afterEach(() => {
    delete process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS;
  });

  async function userWithToken(role: "editor" | "viewer" = "editor") {
    const username = `e${++n}-${backend}`;
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username, password: `password-of-${username}`, role }));
    const actor: Actor = { userId: user.userId, username, role, via: "session" };
    const { token } = await createToken(studio.as(actor), { name: "script" });
    return { username, actor, token };
  }

  it("is served from memory: a change that bypasses changeCredentials is not seen until the safety TTL", async () => {
    process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS = "60000";
    const before = await readCredentialsEpoch(studio.db);
    const moved = await moveEpochSilently(studio);
    expect(moved).toBe(before + 1);
    expect(await readCredentialsEpoch(studio.db)).toBe(before);
    process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS = "0";
    expect(await readCredentialsEpoch(studio.db)).toBe(moved);
  });

  it("a revoke, a disable and a demotion bite on the very next request in the same process", async () => {
    process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS = "60000";
    const revoked = await userWithToken();
    expect((await grantFromToken(studio.db, revoked.token))?.actor.role).toBe("editor");
    const [listed] = await listOwnTokens(studio.as(revoked.actor));
    await revokeToken(studio.as(revoked.actor), listed.tokenId);
    expect(await grantFromToken(studio.db, revoked.token)).toBeNull();

    const disabled = await userWithToken();
    expect(await grantFromToken(studio.db, disabled.token)).not.toBeNull();
    await setUserDisabled(studio.as(admin), disabled.username, true);
    expect(await grantFromToken(studio.db, disabled.token)).toBeNull();

    const demoted = await userWithToken();
    expect((await grantFromToken(studio.db, demoted.token))?.actor.role).toBe("editor");
    await setUserRole(studio.as(admin), demoted.username, "viewer");
    expect((await grantFromToken(studio.db, demoted.token))?.actor.role).toBe("viewer");
  });

  it("answers at once (serving's no-wait path) only what the awaited path would, and a revoke, a disable or a demotion bites on the very next request there too", async () => {
    process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS = "60000";
    const bearer = (token: string) => ({ method: "POST", headers: new Headers({ authorization: `Bearer ${token}` }) });
    const serving = { serving: true };
    /** The no-wait answer: an actor, "refused" (what it threw), or undefined (not known at once: the awaited path decides). */
    const atOnce = (token: string, options: ResolveOptions = serving) => {
      try {
        return actorKnownNow(bearer(token), studio.db, options);
      } catch (error) {
        return `refused: ${(error as Error).message}`;
      }
    };
    /** The no-wait answer once the awaited path has run (again if this process's own NOTIFY arrives in between, on PostgreSQL). */
    const afterAwaited = async (token: string, options: ResolveOptions = serving) => {
      for (let attempt = 0; attempt < 20; attempt++) {
        await resolveActor(bearer(token), studio.db, options).catch(() => undefined);
        const known = atOnce(token, options);
        if (known !== undefined) return known;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error("never known at once");
    };
    const revoked = await userWithToken();
    // Not verified yet in this process: not known at once (the awaited path verifies it).
    expect(grantKnownNow(studio.db, revoked.token)).toBeUndefined();
    expect(atOnce(revoked.token)).toBeUndefined();
    const verified = await resolveActor(bearer(revoked.token), studio.db, serving);
    expect(await afterAwaited(revoked.token)).toEqual(verified);
    const [listed] = await listOwnTokens(studio.as(revoked.actor));
    await revokeToken(studio.as(revoked.actor), listed.tokenId);
    // The revoke moved the epoch: the very next request is not answered from memory; both paths then refuse.
    expect(atOnce(revoked.token)).toBeUndefined();
    await expect(resolveActor(bearer(revoked.token), studio.db, serving)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await afterAwaited(revoked.token)).toMatch(/^refused: Invalid credentials/);

    const disabled = await userWithToken();
    expect((await afterAwaited(disabled.token)) as Actor).toMatchObject({ username: disabled.username });
    await setUserDisabled(studio.as(admin), disabled.username, true);
    expect(atOnce(disabled.token)).toBeUndefined();
    await expect(resolveActor(bearer(disabled.token), studio.db, serving)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await afterAwaited(disabled.token)).toMatch(/^refused: Invalid credentials/);

    const demoted = await userWithToken();
    expect((await afterAwaited(demoted.token)) as Actor).toMatchObject({ role: "editor" });
    await setUserRole(studio.as(admin), demoted.username, "viewer");
    expect(atOnce(demoted.token)).toBeUndefined();
    expect((await afterAwaited(demoted.token)) as Actor).toMatchObject({ role: "viewer" });

    // A serve-scoped token is refused off the serving endpoints by both paths, with the same error.
    const { token: serveOnly } = await createToken(studio.as(demoted.actor), { name: "serve", scope: "serve" });
    expect((await afterAwaited(serveOnly)) as Actor).toMatchObject({ username: demoted.username });
    expect(atOnce(serveOnly, {})).toMatch(/^refused: .*'serve' scope/);
    await expect(resolveActor(bearer(serveOnly), studio.db)).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
  });

  it("re-verifies a token past its cache period with one lookup, while requests keep the grant for one more period", async () => {
    const holder = await userWithToken();
    expect(await grantFromToken(studio.db, holder.token)).not.toBeNull();
    // A revoke written behind the caches' back (no epoch move): only the grant's cache period bounds it.
    await studio.db.update(apiTokens).set({ revokedAt: Date.now() }).where(eq(apiTokens.userId, holder.actor.userId));
    expect(await grantFromToken(studio.db, holder.token)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, TOKEN_GRANT_CACHE_MS + 50));
    // Past the period the grant is still answered at once, while one lookup re-verifies it…
    expect(await grantFromToken(studio.db, holder.token)).not.toBeNull();
    // …and the requests after that lookup are refused.
    expect(await waitFor(async () => (await grantFromToken(studio.db, holder.token)) === null, 1_000)).toBeLessThan(1_000);
  });

  it("requests racing a change never keep the old epoch once the change has returned", async () => {
    process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS = "60000";
    const racer = await userWithToken();
    expect(await grantFromToken(studio.db, racer.token)).not.toBeNull();
    const [listed] = await listOwnTokens(studio.as(racer.actor));
    // Reads in flight before, during and after the revoke's transaction.
    const reads = Array.from({ length: 20 }, () => grantFromToken(studio.db, racer.token));
    const revoking = revokeToken(studio.as(racer.actor), listed.tokenId);
    reads.push(...Array.from({ length: 20 }, () => grantFromToken(studio.db, racer.token)));
    await revoking;
    await Promise.all(reads);
    expect(await grantFromToken(studio.db, racer.token)).toBeNull();
  });

  if (backend !== "postgres") return;

  describe("a second process on the same PostgreSQL", () => {
    let other: DatabaseHandle;

    beforeAll(async () => {
      // A second pool with its own cache and LISTEN connection: what another studio or serving process holds.
      const url = (studio.handle.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
      other = await openDatabase({ url });
      await readCredentialsEpoch(other.db);
      await waitFor(async () => credentialsListenerPid(other.db) !== null, 5_000);
    });
    afterAll(async () => other.close());

    it("stops accepting a revoked token, a disabled owner's token and a demoted owner's writes within a second", async () => {
      process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS = "60000";
      const revoked = await userWithToken();
      const disabled = await userWithToken();
      const demoted = await userWithToken();
      for (const { token } of [revoked, disabled, demoted]) expect((await grantFromToken(other.db, token))?.actor.role).toBe("editor");

      const [listed] = await listOwnTokens(studio.as(revoked.actor));
      await revokeToken(studio.as(revoked.actor), listed.tokenId);
      expect(await waitFor(async () => (await grantFromToken(other.db, revoked.token)) === null, 1_000)).toBeLessThan(1_000);

      await setUserDisabled(studio.as(admin), disabled.username, true);
      expect(await waitFor(async () => (await grantFromToken(other.db, disabled.token)) === null, 1_000)).toBeLessThan(1_000);

      await setUserRole(studio.as(admin), demoted.username, "viewer");
      expect(await waitFor(async () => (await grantFromToken(other.db, demoted.token))?.actor.role === "viewer", 1_000)).toBeLessThan(1_000);
    });

    it("caches nothing for a driver it cannot listen with (a single pg Client)", async () => {
      process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS = "60000";
      const { Client } = await import("pg");
      const { drizzle } = await import("drizzle-orm/node-postgres");
      const client = new Client({ connectionString: (studio.handle.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString });
      await client.connect();
      try {
        const single = drizzle(client) as unknown as TestStudio["db"];
        await readCredentialsEpoch(single);
        const moved = await moveEpochSilently(studio);
        expect(await readCredentialsEpoch(single)).toBe(moved);
      } finally {
        await client.end();
      }
    });

    it("trusts nothing in memory while its LISTEN connection is down, and listens again", async () => {
      process.env.STUDIO_CREDENTIALS_EPOCH_TTL_MS = "60000";
      await readCredentialsEpoch(other.db);
      const pid = credentialsListenerPid(other.db)!;
      await queryRows(studio.db, sql`select pg_terminate_backend(${pid})`);
      // It reconnects a second later: until then, it knows it is deaf.
      await waitFor(async () => credentialsListenerPid(other.db) === null, 900);
      // Moved without a notification: seen at once, since nothing could tell this cache.
      const moved = await moveEpochSilently(studio);
      expect(await readCredentialsEpoch(other.db)).toBe(moved);
      await waitFor(async () => credentialsListenerPid(other.db) !== null, 5_000);
      expect(credentialsListenerPid(other.db)).not.toBe(pid);
      expect(await readCredentialsEpoch(other.db)).toBe(moved);
    });
  });
});
