// The tRPC endpoint's failed-request log line says what the caller was told: for a refused input, the described
// sentence of trpc.ts's errorFormatter, not tRPC's JSON dump of zod's issues (a log reader had to parse JSON in JSON).
import { TRPCClientError } from "@trpc/client";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "./auth/actor";
import type { AppRouter } from "./root-router";
import { createTestStudio, type TestStudio } from "./testing/test-database";
import { trpcClientThroughHandler } from "./testing/trpc-client";

const ada: Actor = { userId: "1", username: "ada", role: "admin", via: "session" };

describe("the tRPC endpoint's request log", () => {
  let studio: TestStudio;
  beforeAll(async () => {
    studio = await createTestStudio("pglite");
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("logs a refused input with the message the caller got, not zod's issues as JSON", async () => {
    vi.stubEnv("STUDIO_LOG_ERRORS", "1");
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const client = trpcClientThroughHandler(() => studio.as(ada));
    const refused = await client.tracking.createExperiment.mutate({ name: "   " }).then(
      () => null,
      (error: unknown) => error as TRPCClientError<AppRouter>,
    );
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect(refused!.message).toMatch(/experiment name must not be empty/);

    const lines = errors.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith("{"));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ msg: "request failed", surface: "trpc", route: "tracking.createExperiment", status: 400, code: "BAD_REQUEST" });
    expect(line.message).toBe(refused!.message);
    expect(line.message).not.toMatch(/^\s*\[/);
  });
});
