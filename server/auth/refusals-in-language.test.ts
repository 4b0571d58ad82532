// The shared REST refusals (no credentials, bad credentials, a role without the permission, a labeller) carry codes
// and are said in the caller's language (language cookie, else Accept-Language, else English), the MLflow API's
// error shape unchanged: English callers read the same bytes as before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { frenchTypography, refusalOfCall, saidIn } from "../testing/said-error";
import { handleMlflowApi } from "../http/mlflow-api";
import { handlePlaygroundRow } from "../registry/playground-row-http";
import { catalogues } from "@/messages";
import type { Actor, Role } from "./actor";
import { createUser, ensureAdminAccount } from "./accounts";
import { assertSameOrigin, authenticateRequest } from "./authenticate";
import { authorize, labellerOnlyRefusal, permissionTable, type Permission } from "./permissions";
import { signIn } from "./sessions";
import { createToken } from "./tokens";
import { zCreateUser } from "./schema";

const REQUIRED =
  "Authentication required: send 'Authorization: Bearer <token>' (set MLFLOW_TRACKING_TOKEN) or HTTP Basic credentials (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD). Create a token on the studio's Tokens page.";
const INVALID = "Invalid credentials: the token is unknown, revoked or expired, or the username/password is wrong.";
const FRENCH = { "accept-language": "fr-CH, fr;q=0.9, en;q=0.8" };

describe("auth refusals said from the catalogue", () => {
  const actorWith = (role: Role): Actor => ({ userId: `u-${role}`, username: `${role}-user`, role, via: "session" });

  it("say each permission's refusal exactly as the server's English, and in French", () => {
    const terms = catalogues.en.sentences.term.permission as Record<string, string>;
    for (const [permission, { roles, description }] of Object.entries(permissionTable)) {
      expect(terms[permission.replace(/[.-]/g, "_")], permission).toBe(description.toLowerCase());
      const lacking = (["admin", "editor", "reviewer", "viewer", "labeller"] as const).find((role) => !(roles as readonly Role[]).includes(role));
      if (!lacking) continue;
      const refusal = refusalOfCall(() => authorize(actorWith(lacking), permission as Permission));
      expect(refusal.code).toBe("PERMISSION_DENIED");
      expect(saidIn("en", refusal)).toBe(refusal.message);
      expect(saidIn("fr", refusal)).toMatch(new RegExp(`^Permission refusée\u00a0: «\u00a0${lacking}-user\u00a0» a le rôle «\u00a0${lacking}\u00a0», qui ne permet pas de \\S`));
    }
    const audit = refusalOfCall(() => authorize(actorWith("viewer"), "audit.read"));
    expect(saidIn("fr", audit)).toBe(
      frenchTypography("Permission refusée : « viewer-user » a le rôle « viewer », qui ne permet pas de lire et exporter le journal d’audit. Demandez à un administrateur un rôle qui le permet."),
    );
    const labeller = labellerOnlyRefusal(actorWith("labeller"));
    expect(saidIn("en", labeller)).toBe(labeller.message);
    expect(saidIn("fr", labeller)).toMatch(/^Permission refusée\u00a0: «\u00a0labeller-user\u00a0» a le rôle «\u00a0labeller\u00a0», qui permet seulement d’étiqueter/);
    const crossSite = refusalOfCall(() => assertSameOrigin({ method: "POST", headers: new Headers({ origin: "https://evil.test", host: "studio.test" }) }));
    expect(saidIn("en", crossSite)).toBe(crossSite.message);
    expect(saidIn("fr", crossSite)).toBe(frenchTypography("Requête intersite refusée : cette modification doit être faite depuis les pages du studio lui-même."));
  });
});

describe.each(testBackends)("REST refusals in the caller's language on %s", (backend) => {
  let studio: TestStudio;
  let viewerToken: string;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    process.env.STUDIO_ADMIN_PASSWORD = "admin-password-123";
    await ensureAdminAccount(studio.db);
    const admin = (await signIn(studio.db, { username: "admin", password: "admin-password-123", clientKey: "t" })).actor;
    await createUser(studio.as(admin), zCreateUser.parse({ username: "vic", password: "viewer-password-1", role: "viewer" }));
    const viewer = (await signIn(studio.db, { username: "vic", password: "viewer-password-1", clientKey: "t" })).actor;
    viewerToken = (await createToken(studio.as(viewer), { name: "reads" })).token;
  });
  afterAll(async () => {
    delete process.env.STUDIO_ADMIN_PASSWORD;
    await studio.close();
  });

  async function mlflow(endpoint: string, headers: Record<string, string> = {}) {
    const request = new Request(`http://studio.test/api/2.0/mlflow/${endpoint}`, {
      method: "POST",
      body: JSON.stringify({ name: `refused-${backend}` }),
      headers: { "content-type": "application/json", ...headers },
    });
    const response = await handleMlflowApi(request, endpoint.split("/"), async (r) => ({ db: studio.db, artifacts: studio.artifacts, actor: await authenticateRequest(r, studio.db) }));
    return { status: response.status, language: response.headers.get("content-language"), text: await response.text() };
  }

  it("MLflow API: English bytes for a caller that asks for no language, French on request, MLflow's shape either way", async () => {
    const missing = await mlflow("experiments/create");
    expect(missing).toEqual({ status: 401, language: "en", text: JSON.stringify({ error_code: "UNAUTHENTICATED", message: REQUIRED }) });
    expect(await mlflow("experiments/create", { "accept-language": "en-US,en;q=0.9" })).toEqual(missing);

    const french = await mlflow("experiments/create", FRENCH);
    expect(french.status).toBe(401);
    expect(french.language).toBe("fr");
    const body = JSON.parse(french.text) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["error_code", "message"]);
    expect(body.error_code).toBe("UNAUTHENTICATED");
    expect(body.message).toBe(
      frenchTypography(
        "Authentification requise : envoyez « Authorization: Bearer <jeton> » (définissez MLFLOW_TRACKING_TOKEN) ou des identifiants HTTP Basic (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD). Créez un jeton sur la page Jetons du studio.",
      ),
    );
    // The language cookie the studio's pages set wins over the browser's language.
    expect(await mlflow("experiments/create", { ...FRENCH, cookie: "studio_locale=en" })).toEqual(missing);
    expect((await mlflow("experiments/create", { cookie: "studio_locale=fr" })).text).toBe(french.text);

    const badToken = await mlflow("experiments/create", { ...FRENCH, authorization: "Bearer mst_not-a-token" });
    expect(badToken.status).toBe(401);
    expect(JSON.parse(badToken.text)).toEqual({
      error_code: "UNAUTHENTICATED",
      message: frenchTypography("Identifiants non valides : le jeton est inconnu, révoqué ou expiré, ou le nom d’utilisateur ou le mot de passe est faux."),
    });
    expect((await mlflow("experiments/create", { authorization: "Bearer mst_not-a-token" })).text).toBe(JSON.stringify({ error_code: "UNAUTHENTICATED", message: INVALID }));

    const denied = await mlflow("experiments/create", { ...FRENCH, authorization: `Bearer ${viewerToken}` });
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.text)).toEqual({
      error_code: "PERMISSION_DENIED",
      message: frenchTypography(
        "Permission refusée : « vic » a le rôle « viewer », qui ne permet pas de créer, renommer et supprimer des expériences ; créer des exécutions et y enregistrer paramètres, métriques, tags, entrées et artefacts. Demandez à un administrateur un rôle qui le permet.",
      ),
    });
    const deniedInEnglish = await mlflow("experiments/create", { authorization: `Bearer ${viewerToken}` });
    expect(JSON.parse(deniedInEnglish.text).message).toMatch(/^Permission denied: 'vic' has role 'viewer', which cannot create, rename and delete experiments;/);
  });

  it("the studio's other REST routes say the same refusals in the caller's language", async () => {
    const post = (headers: Record<string, string>) =>
      handlePlaygroundRow(
        new Request("http://studio.test/api/models/m/versions/1/playground-row", { method: "POST", body: "x0=1", headers: { "content-type": "application/x-www-form-urlencoded", ...headers } }),
        Promise.resolve({ name: "m", version: "1" }),
        async (r) => ({ db: studio.db, artifacts: studio.artifacts, actor: await authenticateRequest(r, studio.db) }),
      );
    const english = await post({});
    expect(english.status).toBe(401);
    expect(english.headers.get("content-language")).toBe("en");
    expect(await english.json()).toEqual({ error_code: "UNAUTHENTICATED", message: REQUIRED });
    const french = await post(FRENCH);
    expect(french.status).toBe(401);
    expect(french.headers.get("content-language")).toBe("fr");
    expect(((await french.json()) as { message: string }).message).toMatch(/^Authentification requise\u00a0: envoyez/);
  });
});
