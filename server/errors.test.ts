// Errors are recognised by their brand, not their class: Next.js gives each route bundle its own copy of a module.
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createTranslator } from "next-intl";
import { catalogues } from "@/messages";
import { sentenceText, type SentenceTranslator } from "@/lib/i18n/server-sentence";
import { describeZodError, DomainError, isDomainError, isZodError, toDomainError, zodErrorSentence } from "./errors";
import { errorResponse } from "./http/mlflow-wire";
import { handleArtifactProxy } from "./artifacts/proxy";
import { localActor } from "./auth/actor";
import type { ServiceContext } from "./service-context";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A second, separately evaluated copy of a module, as another route bundle holds it. */
async function foreignCopy<T>(load: () => Promise<T>): Promise<T> {
  vi.resetModules();
  return load();
}

describe("errors across module copies", () => {
  it("answers another copy's DomainError with its own code and status, not INTERNAL_ERROR", async () => {
    const foreign = await foreignCopy(() => import("./errors"));
    expect(foreign.DomainError).not.toBe(DomainError);
    const error = new foreign.DomainError("RESOURCE_DOES_NOT_EXIST", "Artifact '1/abc/model.onnx' does not exist.");
    expect(isDomainError(error)).toBe(true);
    expect(error instanceof DomainError).toBe(true);
    expect(toDomainError(error).code).toBe("RESOURCE_DOES_NOT_EXIST");
    const response = errorResponse(error);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Artifact '1/abc/model.onnx' does not exist." });
  });

  it("answers a missing artifact from another bundle's store with 404, so MLflow clients do not retry for a minute", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "studio-foreign-store-"));
    try {
      const { LocalArtifactStore } = await foreignCopy(() => import("./artifacts/store"));
      const ctx = { db: null, artifacts: new LocalArtifactStore(root), actor: localActor } as unknown as ServiceContext;
      const response = await handleArtifactProxy(new Request("http://studio.test/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model.onnx"), ["1", "abc", "artifacts", "model.onnx"], async () => ctx);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error_code: string }).error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("recognises a ZodError by its shape and names the field", () => {
    const shaped = Object.assign(new Error("bad"), { name: "ZodError", issues: [{ path: ["experiment_id"], message: "must be an experiment id (digits)" }] });
    expect(isZodError(shaped)).toBe(true);
    const domain = toDomainError(shaped);
    expect(domain.code).toBe("INVALID_PARAMETER_VALUE");
    expect(domain.message).toMatch(/'experiment_id': must be an experiment id/);
    expect(isZodError({ name: "ZodError" })).toBe(false);
  });

  it("keeps the input faults that slip past validation out of the 5xx range", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const unique = Object.assign(new Error("Failed query"), { cause: Object.assign(new Error("duplicate key"), { code: "23505" }) });
      expect(toDomainError(unique).code).toBe("RESOURCE_ALREADY_EXISTS");
      let uriError: unknown;
      try {
        decodeURIComponent("%zz");
      } catch (error) {
        uriError = error;
      }
      expect(toDomainError(uriError).httpStatus).toBe(400);
      expect(toDomainError(new RangeError("Maximum call stack size exceeded")).httpStatus).toBe(400);
    } finally {
      warn.mockRestore();
    }
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const unknown = toDomainError(new TypeError("x is undefined"));
      expect(unknown.code).toBe("INTERNAL_ERROR");
      expect(unknown.message).not.toMatch(/undefined/);
    } finally {
      error.mockRestore();
    }
  });

  it("answers a body over the limit with 413 REQUEST_TOO_LARGE", () => {
    expect(new DomainError("REQUEST_TOO_LARGE", "too big").httpStatus).toBe(413);
  });
});

describe("zodErrorSentence", () => {
  const say = (locale: "en" | "fr", error: z.ZodError) =>
    sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, zodErrorSentence(error), "(no wording)");

  it("says zod issues as describeZodError does in English, and generically with each field's name in French", () => {
    const error = z.object({ name: z.string().min(1), window: z.enum(["hour", "day"]) }).safeParse({ name: "", window: "week" }).error!;
    expect(say("en", error)).toBe(describeZodError(error));
    expect(say("fr", error)).toBe("Le champ « name » est trop court ou trop petit (minimum : 1) ; Le champ « window » n'a pas une des valeurs permises");
    const whole = z.string().safeParse(3).error!;
    expect(say("en", whole)).toBe(describeZodError(whole));
    expect(say("fr", whole)).toBe("La requête n'a pas le type attendu");
  });
});
