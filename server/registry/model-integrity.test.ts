// What was reviewed is what is served: registered bytes are write-once and verified wherever they are loaded, models
// that reference files are refused, and rollback keys on ids and digests (rename, delete-and-recreate), on real fixtures.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import * as ort from "onnxruntime-node";
import { modelVersions } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { listAuditEntries } from "../auth/audit";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { handleArtifactProxy } from "../artifacts/proxy";
import { listDeployments, promoteVersion, rollbackProduction } from "../deployments/deployments";
import { ModelServer, servingSessionOptions } from "../serving/model-server";
import { handleServing } from "../serving/http";
import { flushInferenceLog } from "../monitoring/inference-log";
import { mlflowWire } from "../testing/mlflow-client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { createExperiment } from "../tracking/experiments";
import { artifactRootOf, createRun } from "../tracking/runs";
import { createModelVersion, findModelVersion, findRegisteredModel, findVersionByAlias } from "./model-versions";
import { findDataset } from "../datasets/registry";
import { loadVersionModelBytes, modelStorePath } from "./model-store";
import { introspectOnnx, onnxProtobuf } from "./onnx-introspection";
import { readModelVersionOnnx, registerOnnxFromRun, registerOnnxUpload } from "./onnx-versions";
import { createRegisteredModel, deleteModelAlias, deleteRegisteredModel, renameRegisteredModel, setModelAlias } from "./registered-models";
import { refusalOf, saidIn } from "../testing/said-error";
import { createTranslator } from "next-intl";
import { sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";
import { catalogues } from "@/messages";

/** A flag reason as the Deployments page in `locale` says it (components/ui/use-server-sentence). */
function sayFlag(locale: "en" | "fr", message: ServerSentence): string {
  return sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, message, "(no wording)");
}

const fixture = async (name: string) => new Uint8Array(await readFile(path.join(import.meta.dirname, `../../fixtures/models/${name}.onnx`)));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const ada: Actor = { userId: "u-ada", username: "ada", role: "admin", via: "session" };

/** digits-mlp with its first weight moved to an "external file": onnxruntime would read that path from the server's disk. */
async function externalDataModel(location: string): Promise<Uint8Array> {
  const model = onnxProtobuf.ModelProto.decode(await fixture("digits-mlp"));
  const weight = model.graph!.initializer![0]!;
  weight.rawData = new Uint8Array();
  weight.floatData = [];
  weight.dataLocation = onnxProtobuf.TensorProto.DataLocation.EXTERNAL;
  weight.externalData = [onnxProtobuf.StringStringEntryProto.create({ key: "location", value: location })];
  return onnxProtobuf.ModelProto.encode(model).finish();
}

describe.each(testBackends)("model integrity on %s", (kind) => {
  let studio: TestStudio;
  let server: ModelServer;
  let editor: Actor;
  let editorToken: string;
  let rfRow: number[];

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `erin-${kind}`, password: "editor-password-1", role: "editor" }));
    editor = { userId: user.userId, username: user.username, role: "editor", via: "session" };
    editorToken = (await createToken(studio.as(editor), zCreateToken.parse({ name: "editor" }))).token;
    const csv = (await readFile(path.join(import.meta.dirname, "../../fixtures/datasets/breast_cancer.test.csv"), "utf8")).trim().split("\n");
    rfRow = csv[1]!.split(",").slice(0, 30).map(Number);
  });
  afterAll(async () => {
    await flushInferenceLog();
    await server.close();
    await studio.close();
  });

  async function serve(pathname: string, modelServer = server) {
    const answer = await handleServing(
      { method: "POST", pathname, headers: new Headers({ authorization: `Bearer ${editorToken}`, "content-type": "application/json" }), text: async () => JSON.stringify({ inputs: [rfRow] }) },
      modelServer,
    );
    return { ...answer, json: JSON.parse(answer.body) as Record<string, unknown> };
  }

  async function direct(bytes: Uint8Array) {
    // Serving's session options: ORT's default pool has one thread per physical core, and a forest summed on two
    // threads differs from one thread's sum in the 7th digit.
    const session = await ort.InferenceSession.create(bytes, servingSessionOptions());
    const out = await session.run({ input: new ort.Tensor("float32", Float32Array.from(rfRow), [1, 30]) });
    await session.release();
    return Array.from(out.probabilities!.data as Float32Array);
  }

  function proxy(method: "PUT" | "DELETE", artifactPath: string, body?: Uint8Array) {
    return handleArtifactProxy(
      new Request(`http://studio.test/api/2.0/mlflow-artifacts/artifacts/${artifactPath}`, { method, body: body ? Buffer.from(body) : undefined }),
      artifactPath.split("/"),
      async () => studio.as(editor),
    );
  }

  it("keeps serving the registered bytes after the run's .onnx is overwritten or deleted through the MLflow artifact proxy", async () => {
    const v1 = await fixture("breast-cancer-rf-v1");
    const v2 = await fixture("breast-cancer-rf-v2");
    const { experiment_id } = await createExperiment(studio.as(editor), { name: `integrity-${kind}` });
    const run = await createRun(studio.as(editor), { experiment_id, run_name: "rf", start_time: 1, tags: [] });
    const root = artifactRootOf(run.info)!;
    const artifact = `${root}/model/model.onnx`;
    expect((await proxy("PUT", artifact, v1)).status).toBe(200);
    await registerOnnxFromRun(studio.as(editor), { name: "rf", runId: run.info.run_id, artifactPath: "model/model.onnx" });

    // The editor replaces the run's file with other bytes: the artifact proxy allows it, the registered version does not change.
    expect((await proxy("PUT", artifact, v2)).status).toBe(200);
    const read = await readModelVersionOnnx(studio.as(editor), "rf", "1");
    expect(read.digest).toBe(sha256(v1));
    expect(Buffer.from(read.bytes).equals(Buffer.from(v1))).toBe(true);
    const served = await serve("/api/serve/rf/1/invocations");
    expect(served.status, served.body).toBe(200);
    expect(served.headers["x-model-digest"]).toBe(sha256(v1));
    expect((served.json.predictions as { probabilities: number[][] }).probabilities[0]).toEqual(await direct(v1));
    expect(await direct(v2)).not.toEqual(await direct(v1));

    // Deleted, and a fresh server (nothing cached) still loads the registered bytes.
    expect((await proxy("DELETE", artifact)).status).toBe(200);
    const fresh = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const again = await serve("/api/serve/rf/1/invocations", fresh);
    await fresh.close();
    expect(again.status, again.body).toBe(200);
    expect(again.headers["x-model-digest"]).toBe(sha256(v1));

    // The store itself cannot be written or deleted through the proxy.
    const storePath = modelStorePath(sha256(v1));
    const overwrite = await proxy("PUT", storePath, v2);
    expect(overwrite.status).toBe(400);
    expect(await overwrite.text()).toMatch(/write-once model store/);
    expect((await proxy("DELETE", storePath)).status).toBe(400);
    expect(sha256(new Uint8Array(await readFile(path.join(studio.artifactRoot, storePath))))).toBe(sha256(v1));
  });

  it("says a missing model, version, alias, dataset or dataset version in the reader's language, the English as MLflow clients get it", async () => {
    await registerOnnxUpload(studio.as(ada), { name: "said-missing", bytes: await fixture("breast-cancer-rf-v1") });
    const refusals = [
      await refusalOf(findRegisteredModel(studio.db, "no-such-model")),
      await refusalOf(findModelVersion(studio.db, "said-missing", "3")),
      await refusalOf(findVersionByAlias(studio.db, "said-missing", "champion")),
      await refusalOf(findDataset(studio.db, "no-such-data")),
    ];
    expect(refusals.map((r) => r.code)).toEqual(["RESOURCE_DOES_NOT_EXIST", "RESOURCE_DOES_NOT_EXIST", "RESOURCE_DOES_NOT_EXIST", "RESOURCE_DOES_NOT_EXIST"]);
    for (const refusal of refusals) expect(saidIn("en", refusal)).toBe(refusal.message);
    expect(refusals.map((r) => saidIn("fr", r))).toEqual([
      "Aucun modèle enregistré nommé «\u00a0no-such-model\u00a0».",
      "La version 3 du modèle «\u00a0said-missing\u00a0» n'existe pas.",
      "L'alias de modèle «\u00a0champion\u00a0» n'existe pas.",
      "Le jeu de données «\u00a0no-such-data\u00a0» n'existe pas. Vérifiez le nom, ou enregistrez-le d'abord.",
    ]);
  });

  it("refuses to serve bytes altered on disk after registration: 503 with a message, the version flagged, one audit entry", async () => {
    const bytes = await fixture("breast-cancer-rf-v1");
    await registerOnnxUpload(studio.as(ada), { name: "tampered", bytes });
    await setModelAlias(studio.as(ada), { name: "tampered", alias: "production", version: "1", overrideReason: "integrity test" });
    // Someone with access to the disk swaps the stored file.
    await writeFile(path.join(studio.artifactRoot, modelStorePath(sha256(bytes))), await fixture("breast-cancer-rf-v2"));
    const fresh = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
    const first = await serve("/api/serve/tampered/invocations", fresh);
    const second = await serve("/api/serve/tampered/1/invocations", fresh);
    await fresh.close();
    expect(first.status).toBe(503);
    expect(first.json.message).toMatch(/altered after registration.*refuses to use them/);
    expect(second.status).toBe(503);
    await expect(readModelVersionOnnx(studio.as(editor), "tampered", "1")).rejects.toMatchObject({ code: "TEMPORARILY_UNAVAILABLE" });

    const audit = await listAuditEntries(studio.db, { action: "model_version.integrity_failure" });
    expect(audit.filter((e) => e.targetId === "tampered/1")).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ model_digest: sha256(bytes) });
    const deployment = (await listDeployments(studio.as(editor))).find((d) => d.modelName === "tampered");
    expect(deployment?.flagReasons[0]).toMatch(/^Integrity: .*altered after registration/);
    // The Deployments page says the flag from its code: the English as stored, and French for a French reader.
    expect(sayFlag("en", deployment!.flagMessages[0]!)).toBe(deployment!.flagReasons[0]);
    expect(sayFlag("fr", deployment!.flagMessages[0]!)).toMatch(/^Intégrité\u00a0: Les octets stockés du modèle de la version 1 ont le SHA-256 [0-9a-f]{64}, et non le [0-9a-f]{64} enregistré/);
    // Promotion checks the bytes too.
    await registerOnnxUpload(studio.as(ada), { name: "tampered", bytes: await fixture("diabetes-ridge") });
    await setModelAlias(studio.as(ada), { name: "tampered", alias: "production", version: "2", overrideReason: "move away" });
    await expect(setModelAlias(studio.as(ada), { name: "tampered", alias: "production", version: "1", overrideReason: "back" })).rejects.toMatchObject({
      code: "TEMPORARILY_UNAVAILABLE",
    });
  });

  it("refuses models whose tensors live in external files, at registration and at load", async () => {
    const external = await externalDataModel("package.json");
    await expect(registerOnnxUpload(studio.as(editor), { name: "leaky", bytes: external })).rejects.toMatchObject({
      code: "INVALID_PARAMETER_VALUE",
      message: expect.stringMatching(/external files .*"package\.json".*self-contained/),
    });
    // Over MLflow's REST API (mlflow.register_model on a logged run): 400 with the reason, and no version left behind.
    await studio.artifacts.put("external/model.onnx", external);
    const api = mlflowWire(studio.as(editor));
    await api.post("registered-models/create", { name: "leaky-client" });
    const created = await api.post("model-versions/create", { name: "leaky-client", source: "mlflow-artifacts:/external/model.onnx" });
    expect(created.status).toBe(400);
    expect(created.text).toMatch(/external files/);
    const listed = await api.get("model-versions/search", { filter: "name = 'leaky-client'" });
    expect(JSON.parse(listed.text).model_versions ?? []).toEqual([]);
    // A version that points at such a file without a digest (registered before the check existed) is refused at load.
    await studio.artifacts.put("legacy/leaky.onnx", external);
    await createRegisteredModel(studio.as(editor), { name: "leaky-legacy" });
    await createModelVersion(studio.as(editor), {
      name: "leaky-legacy",
      source: "mlflow-artifacts:/legacy/leaky.onnx",
      onnx_path: "legacy/leaky.onnx",
      introspection: introspectOnnx(await fixture("digits-mlp")),
    });
    const [row] = await studio.db.select().from(modelVersions).where(eq(modelVersions.onnxPath, "legacy/leaky.onnx"));
    await expect(loadVersionModelBytes(studio, row!.versionId)).rejects.toMatchObject({ message: expect.stringMatching(/external files/) });
    const answer = await serve("/api/serve/leaky-legacy/1/invocations");
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(/external files/);
  });

  it("pins a version registered before digests existed on its first load, and verifies it from then on", async () => {
    const bytes = await fixture("breast-cancer-rf-v1");
    await studio.artifacts.put("legacy/rf.onnx", bytes);
    await createRegisteredModel(studio.as(editor), { name: "legacy-rf" });
    await createModelVersion(studio.as(editor), { name: "legacy-rf", source: "mlflow-artifacts:/legacy/rf.onnx", onnx_path: "legacy/rf.onnx", introspection: null });
    const read = await readModelVersionOnnx(studio.as(editor), "legacy-rf", "1");
    expect(read.digest).toBe(sha256(bytes));
    const [row] = await studio.db.select().from(modelVersions).where(eq(modelVersions.onnxPath, "legacy/rf.onnx"));
    expect(row!.modelDigest).toBe(sha256(bytes));
    // Overwriting the old artifact no longer changes anything.
    await studio.artifacts.put("legacy/rf.onnx", await fixture("breast-cancer-rf-v2"));
    expect((await readModelVersionOnnx(studio.as(editor), "legacy-rf", "1")).digest).toBe(sha256(bytes));
  });

  it("never lets a rename or a delete-and-recreate turn rollback into a promotion of unreviewed bytes", async () => {
    const rfV1 = await fixture("breast-cancer-rf-v1");
    const rfV2 = await fixture("breast-cancer-rf-v2");
    // The original "churn": v1 then v2 in production (admin overrides, audited), so v1 is its rollback target.
    await registerOnnxUpload(studio.as(editor), { name: "churn", bytes: rfV1 });
    await registerOnnxUpload(studio.as(editor), { name: "churn", bytes: rfV2 });
    await promoteVersion(studio.as(ada), { name: "churn", version: "1", overrideReason: "pilot" });
    await promoteVersion(studio.as(ada), { name: "churn", version: "2", overrideReason: "pilot 2" });
    await renameRegisteredModel(studio.as(editor), "churn", "churn-old");

    // A new "churn" with never-reviewed bytes as v1, and a reviewed-by-override v2 in production.
    const unreviewed = await fixture("diabetes-ridge");
    await registerOnnxUpload(studio.as(editor), { name: "churn", bytes: unreviewed });
    await registerOnnxUpload(studio.as(editor), { name: "churn", bytes: rfV2 });
    await promoteVersion(studio.as(ada), { name: "churn", version: "2", overrideReason: "new model" });
    const noEarlier = await refusalOf(rollbackProduction(studio.as(editor), { name: "churn" }));
    expect(noEarlier.message).toMatch(/first production version on record/);
    // Even asked directly as a rollback, the unreviewed v1 meets the gate: it never held production with these bytes.
    const gate = await refusalOf(setModelAlias(studio.as(editor), { name: "churn", alias: "production", version: "1", rollbackFrom: "2" }));
    expect(gate).toMatchObject({ code: "INVALID_STATE", message: expect.stringMatching(/no approved acceptance review/) });
    // Pages say both in their reader's language: English word for word as the API says it, French in French.
    for (const refusal of [noEarlier, gate]) expect(saidIn("en", refusal)).toBe(refusal.message);
    expect(saidIn("fr", noEarlier)).toBe("«\u00a0churn\u00a0» v2 est la première version en production connue\u00a0: il n’y a pas de version antérieure où revenir.");
    expect(saidIn("fr", gate)).toBe(
      "Impossible de poser l’alias «\u00a0production\u00a0» sur la version 1 de «\u00a0churn\u00a0»\u00a0: elle n’a aucune revue d’acceptation approuvée de ses octets actuels. Demandez une revue de cette version et faites-la approuver par un relecteur d’abord.",
    );
    // The renamed model keeps its own history, by id: its rollback still goes to its own v1.
    expect(await rollbackProduction(studio.as(editor), { name: "churn-old" })).toEqual({ version: "1" });
    expect((await readModelVersionOnnx(studio.as(editor), "churn-old", "1")).digest).toBe(sha256(rfV1));

    // Delete and re-create under the same name: the old history does not carry over.
    await deleteRegisteredModel(studio.as(editor), "churn");
    await registerOnnxUpload(studio.as(editor), { name: "churn", bytes: unreviewed });
    await registerOnnxUpload(studio.as(editor), { name: "churn", bytes: rfV2 });
    await promoteVersion(studio.as(ada), { name: "churn", version: "2", overrideReason: "recreated" });
    await expect(rollbackProduction(studio.as(editor), { name: "churn" })).rejects.toMatchObject({ message: expect.stringMatching(/first production version on record/) });
    await expect(
      setModelAlias(studio.as(editor), { name: "churn", alias: "production", version: "1", rollbackFrom: "2" }),
    ).rejects.toMatchObject({ code: "INVALID_STATE" });
  });

  it("refuses look-alike alias names (full-width, Cyrillic) that would be a second, ungated production", async () => {
    await registerOnnxUpload(studio.as(editor), { name: "lookalike", bytes: await fixture("iris-logreg") });
    for (const alias of ["ｐｒｏｄｕｃｔｉｏｎ", "prоduction", "champion\u200b"]) {
      await expect(setModelAlias(studio.as(editor), { name: "lookalike", alias, version: "1" })).rejects.toMatchObject({
        code: "INVALID_PARAMETER_VALUE",
        message: expect.stringMatching(/ASCII letters/),
      });
    }
    await setModelAlias(studio.as(editor), { name: "lookalike", alias: "champion_2-b", version: "1" });
  });

  it("says a refused model version source in the reader's language, the English as MLflow clients get it", async () => {
    await createRegisteredModel(studio.as(editor), { name: "sourced-said" });
    const refusals = [
      await refusalOf(createModelVersion(studio.as(editor), { name: "sourced-said", source: " " })),
      await refusalOf(createModelVersion(studio.as(editor), { name: "sourced-said", source: "runs:/abc/../../etc" })),
      await refusalOf(createModelVersion(studio.as(editor), { name: "sourced-said", source: "models:/a/b/c" })),
      await refusalOf(createModelVersion(studio.as(editor), { name: "sourced-said", source: "/home/me/model" })),
    ];
    for (const refusal of refusals) {
      expect(refusal.code).toBe("INVALID_PARAMETER_VALUE");
      expect(saidIn("en", refusal)).toBe(refusal.message);
    }
    expect(refusals.map((r) => saidIn("fr", r))).toEqual([
      "Le paramètre obligatoire «\u00a0source\u00a0» manque\u00a0: donnez l'URI du modèle, par exemple runs:/<run_id>/model.",
      "Source de version de modèle invalide\u00a0: «\u00a0runs:/abc/../../etc\u00a0». Elle ne doit pas contenir de segments de chemin «\u00a0..\u00a0».",
      "Source de version de modèle invalide\u00a0: «\u00a0models:/a/b/c\u00a0». Utilisez models:/<nom>/<version>, models:/<nom>@<alias> ou models:/<model_id>.",
      "Source de version de modèle invalide\u00a0: «\u00a0/home/me/model\u00a0». Un chemin local ne peut pas être enregistré sur un serveur de suivi\u00a0; journalisez le modèle dans une exécution et enregistrez runs:/<run_id>/<chemin>.",
    ]);
  });

  it("lets only an admin with a reason delete the production alias, audited; other aliases stay an editor's", async () => {
    await registerOnnxUpload(studio.as(editor), { name: "offline", bytes: await fixture("iris-logreg") });
    await promoteVersion(studio.as(ada), { name: "offline", version: "1", overrideReason: "pilot" });
    await setModelAlias(studio.as(editor), { name: "offline", alias: "champion", version: "1" });
    await expect(deleteModelAlias(studio.as(editor), { name: "offline", alias: "production", reason: "cleanup" })).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
      message: expect.stringMatching(/only an admin/),
    });
    const noReason = await refusalOf(deleteModelAlias(studio.as(ada), { name: "offline", alias: "production" }));
    expect(noReason).toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/give a reason/) });
    expect(saidIn("en", noReason)).toBe(noReason.message);
    expect(saidIn("fr", noReason)).toBe("Retirer l'alias «\u00a0production\u00a0» sort «\u00a0offline\u00a0» de la production\u00a0: donnez une justification (elle est inscrite au journal d'audit).");
    await deleteModelAlias(studio.as(editor), { name: "offline", alias: "champion" });
    await deleteModelAlias(studio.as(ada), { name: "offline", alias: "production", reason: "model retired by the risk committee" });
    const [entry] = await listAuditEntries(studio.db, { action: "registered_model.alias.delete", targetId: "offline", actor: "ada" });
    expect(entry?.before).toMatchObject({ alias: "production", version: "1" });
    expect(entry?.meta).toMatchObject({ reason: "model retired by the risk committee" });
    const answer = await serve("/api/serve/offline/invocations");
    expect(answer.status).toBe(404);
  });
});
