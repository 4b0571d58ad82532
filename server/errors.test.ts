// Errors are recognised by their brand, not their class: Next.js gives each route bundle its own copy of a module.
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createTranslator } from "next-intl";
import { catalogues } from "@/messages";
import { fieldErrorTexts, sentenceText, type SentenceTranslator } from "@/lib/i18n/server-sentence";
import { describeZodError, DomainError, isDomainError, isZodError, toDomainError, zodErrorSentence, zodFieldSentences } from "./errors";
import { errorResponse } from "./http/mlflow-wire";
import { zCreateWebhook } from "./notifications/schema";
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

  it("says zod issues as describeZodError does in English, and in French each field's name with its problem and limit", () => {
    const error = z.object({ name: z.string().min(1), window: z.enum(["hour", "day"]) }).safeParse({ name: "", window: "week" }).error!;
    expect(say("en", error)).toBe(describeZodError(error));
    // Clauses are joined by the catalogue's list separator (sentences.separator).
    expect(say("fr", error)).toBe("«\u00a0name\u00a0»\u00a0: champ obligatoire\u00a0; «\u00a0window\u00a0»\u00a0: choisissez une des valeurs proposées");
    const whole = z.string().safeParse(3).error!;
    expect(say("en", whole)).toBe(describeZodError(whole));
    expect(say("fr", whole)).toBe("Requête\u00a0: valeur manquante, ou d’un autre type que celui attendu");
    const limits = z.object({ share: z.number().gt(0.5), note: z.string().max(1000), tags: z.array(z.string()).min(2) }).safeParse({ share: 0.25, note: "x".repeat(1001), tags: [] }).error!;
    expect(say("en", limits)).toBe(describeZodError(limits));
    expect(say("fr", limits)).toBe(
      "«\u00a0share\u00a0»\u00a0: la valeur doit être supérieure à 0,5\u00a0; «\u00a0note\u00a0»\u00a0: 1\u202f000 caractères au plus\u00a0; «\u00a0tags\u00a0»\u00a0: choisissez-en au moins 2",
    );
  });
});

describe("zodFieldSentences", () => {
  const translator = (locale: "en" | "fr") => createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator;
  /** What a form shows beside each field, as components/ui/use-error-text's useFieldErrorTexts does. */
  const shown = (locale: "en" | "fr", error: z.ZodError) =>
    fieldErrorTexts(translator(locale), { message: "", data: { fieldErrors: error.flatten().fieldErrors, fieldSentences: zodFieldSentences(error) } });

  const schema = z.object({
    name: z.string().trim().min(1, "Give the webhook a name.").max(100, "The name is too long (100 characters at most)."),
    secret: z.string().min(16),
    url: z.string().url(),
    events: z.array(z.string()).min(1, "Subscribe to at least one event."),
    share: z.number().gt(0).max(1),
    days: z.number().int().min(1).max(3650),
    window: z.enum(["hour", "day"]),
    reference: z.object({ version: z.number() }),
  });
  const error = schema.safeParse({ name: " ", secret: "short", url: "ftp//x", events: [], share: 1.5, days: 0, window: "week", reference: { version: "2" } }).error!;

  it("gives English forms zod's own field errors, word for word", () => {
    expect(shown("en", error)).toEqual(error.flatten().fieldErrors);
    expect(shown("en", error).name).toEqual(["Give the webhook a name."]);
  });

  it("says each field's problem and its limit in French, beside the field", () => {
    expect(shown("fr", error)).toEqual({
      name: ["Ce champ est obligatoire."],
      secret: ["Au moins 16 caractères."],
      url: ["Une adresse URL valide est attendue."],
      events: ["Choisissez-en au moins un."],
      share: ["La valeur doit être au plus 1."],
      days: ["La valeur doit être au moins 1."],
      window: ["Choisissez une des valeurs proposées."],
      reference: ["Valeur manquante, ou d’un autre type que celui attendu."],
    });
    const limits = z.object({ share: z.number().gt(0.5), ratio: z.number().lt(2.5), note: z.string().max(1000) }).safeParse({ share: 0.25, ratio: 3, note: "x".repeat(1001) }).error!;
    expect(shown("fr", limits)).toEqual({
      share: ["La valeur doit être supérieure à 0,5."],
      ratio: ["La valeur doit être inférieure à 2,5."],
      note: ["1\u202f000 caractères au plus."],
    });
  });

  it("says a refinement's own sentence where it names one (the webhook form's URL), English word for word", () => {
    const refused = zCreateWebhook.safeParse({ name: "hook", url: "ftp://files.example.com/x", events: ["review.requested"] }).error!;
    expect(shown("en", refused)).toEqual(refused.flatten().fieldErrors);
    expect(shown("fr", refused).url).toEqual(["Donnez une URL http:// ou https:// sans nom d'utilisateur ni mot de passe, par exemple https://hooks.example.com/studio."]);
    const empty = zCreateWebhook.safeParse({ name: "hook", url: "https://hooks.example.com/x", events: [] }).error!;
    expect(shown("fr", empty).events).toEqual(["Choisissez-en au moins un."]);
  });

  it("keeps zod's English for a field whose sentences do not match its errors one for one (an older server)", () => {
    const fieldErrors = { name: ["Give the webhook a name."] };
    expect(fieldErrorTexts(translator("fr"), { message: "", data: { fieldErrors } })).toEqual(fieldErrors);
    expect(fieldErrorTexts(translator("fr"), { message: "", data: { fieldErrors, fieldSentences: { name: [] } } })).toEqual(fieldErrors);
    expect(fieldErrorTexts(translator("fr"), { message: "" })).toEqual({});
  });
});
