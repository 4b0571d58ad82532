// The user's language: saved on the account through tRPC (audited), and brought back as the language cookie at
// sign-in, so a French reviewer sees French in any browser they sign in from.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { appRouter } from "../root-router";
import { localActor, type Actor } from "./actor";
import { createUserAsSystem } from "./accounts";
import { listAuditEntries } from "./audit";
import { handleSignIn } from "./http";
import { zCreateUser } from "./schema";

describe.each(testBackends)("language preference on %s", (backend) => {
  let studio: TestStudio;
  let reviewer: Actor;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: "rene", password: "reviewer-password-1", role: "reviewer" }));
    reviewer = { userId: user.userId, username: user.username, role: "reviewer", via: "session" };
  });
  afterAll(async () => studio.close());

  const callerFor = (actor: Actor) => appRouter.createCaller({ db: studio.db, artifacts: studio.artifacts, actor, req: new Request("http://studio.test/api/trpc") });

  function signIn() {
    return handleSignIn(
      new Request("http://studio.test/api/auth/sign-in", {
        method: "POST",
        body: JSON.stringify({ username: "rene", password: "reviewer-password-1" }),
        headers: { "content-type": "application/json", origin: "http://studio.test", host: "studio.test" },
      }),
      studio.db,
    );
  }

  const localeCookie = (response: Response) => response.headers.getSetCookie().find((c) => c.startsWith("studio_locale="));

  it("follows the browser until the user chooses, and clears a previous user's cookie at sign-in", async () => {
    expect(await callerFor(reviewer).auth.preferences()).toEqual({ locale: null, stored: true });
    const response = await signIn();
    expect(response.status).toBe(200);
    expect(localeCookie(response)).toMatch(/^studio_locale=; .*Max-Age=0/);
    expect(response.headers.getSetCookie().some((c) => c.startsWith("studio_session="))).toBe(true);
  });

  it("saves a chosen language (any role, audited) and sets the cookie from it at the next sign-in", async () => {
    expect(await callerFor(reviewer).auth.setLocale({ locale: "fr" })).toEqual({ locale: "fr", stored: true });
    expect(await callerFor(reviewer).auth.preferences()).toEqual({ locale: "fr", stored: true });
    const response = await signIn();
    expect(localeCookie(response)).toMatch(/^studio_locale=fr; Path=\/; SameSite=Lax; Max-Age=31536000/);
    expect(await response.json()).toMatchObject({ username: "rene", locale: "fr" });

    const [entry] = await listAuditEntries(studio.db, { action: "user.locale", targetId: "rene" });
    expect(entry).toMatchObject({ actorUsername: "rene", before: { locale: null }, after: { locale: "fr" } });
  });

  it("goes back to the browser's language when 'browser default' is chosen", async () => {
    await callerFor(reviewer).auth.setLocale({ locale: null });
    expect(localeCookie(await signIn())).toMatch(/Max-Age=0/);
    const entries = await listAuditEntries(studio.db, { action: "user.locale", targetId: "rene" });
    expect(entries.map((e) => e.after)).toContainEqual({ locale: null });
  });

  it("refuses a language the studio does not have, with a clear message", async () => {
    await expect(callerFor(reviewer).auth.setLocale({ locale: "de" as never })).rejects.toThrow(/Language must be one of en, fr/);
  });

  it("lets a labeller choose its language too, and nothing else outside labelling", async () => {
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: "lea", password: "labeller-password-1", role: "labeller" }));
    const labeller: Actor = { userId: user.userId, username: user.username, role: "labeller", via: "session" };
    expect(await callerFor(labeller).auth.setLocale({ locale: "fr" })).toEqual({ locale: "fr", stored: true });
    expect(await callerFor(labeller).auth.preferences()).toEqual({ locale: "fr", stored: true });
    const [entry] = await listAuditEntries(studio.db, { action: "user.locale", targetId: "lea" });
    expect(entry).toMatchObject({ actorUsername: "lea", after: { locale: "fr" } });
    // Its own tokens, or anything else of the account area, stay closed to it.
    await expect(callerFor(labeller).auth.tokens()).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/may only label/) });
  });

  it("keeps the choice in the browser only when accounts are off", async () => {
    expect(await callerFor(localActor).auth.setLocale({ locale: "fr" })).toEqual({ locale: "fr", stored: false });
    expect(await callerFor(localActor).auth.preferences()).toEqual({ locale: null, stored: false });
  });
});
