// A serve-scoped token is refused by the studio's tRPC API with 403 and says why (not a 500).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "../root-router";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { createTrpcContext } from "../trpc";

describe("serve-scoped tokens on tRPC", () => {
  let studio: TestStudio;
  let serveToken: string;
  beforeAll(async () => {
    studio = await createTestStudio("pglite");
    // createTrpcContext opens the process-wide database: point it at this test's.
    (globalThis as { studioDb?: Promise<unknown> }).studioDb = Promise.resolve(studio.handle);
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: "sam", password: "sam-password-1", role: "editor" }));
    serveToken = (await createToken(studio.as({ userId: user.userId, username: "sam", role: "editor", via: "session" }), zCreateToken.parse({ name: "s", scope: "serve" }))).token;
  });
  afterAll(async () => {
    delete (globalThis as { studioDb?: Promise<unknown> }).studioDb;
    await studio.close();
  });

  it("answers 403 with the scope's explanation", async () => {
    const req = new Request("http://studio.test/api/trpc/auth.tokens", { headers: { authorization: `Bearer ${serveToken}` } });
    const response = await fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => createTrpcContext({ req }) });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/'serve' scope/);
  });
});
