// The model version page rendered from cached answers, with the introspection of real fixture models: graph, signature, ZipMap warning, lineage.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { introspectOnnx } from "@/server/registry/onnx-introspection";
import { integrityFailureSentence } from "@/server/registry/model-store";
import type { ModelLineage, ModelVersionDetail } from "@/server/registry/schema";
import { renderWithCache } from "./render-with-cache";
import { ModelVersionPage } from "./version-page";

vi.mock("next/navigation", () => ({
  usePathname: () => "/models/m/versions/1",
  useSearchParams: () => new URLSearchParams(),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

const introspectionOf = (fixture: string) => introspectOnnx(readFileSync(path.join(process.cwd(), "fixtures/models", `${fixture}.onnx`)));

const lineage: ModelLineage = {
  runId: "run-1",
  experimentId: "7",
  runName: "rf-100-trees",
  artifactPath: "model/model.onnx",
  metrics: { accuracy: 0.9561, f1: 0.96 },
  params: { n_estimators: "100" },
  datasets: [
    {
      name: "breast_cancer.train",
      digest: "cd".repeat(32),
      context: "training",
      registry: { datasetName: "breast-cancer", version: 3, qualityStatus: "failed", qualityReason: "labels shifted" },
    },
    { name: "outside.csv", digest: "ef".repeat(32), context: null, registry: null },
  ],
  derivedFrom: null,
};

function version(overrides: Partial<ModelVersionDetail> = {}): ModelVersionDetail {
  return {
    name: "m",
    version: "1",
    creation_timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
    last_updated_timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
    user_id: "alice",
    current_stage: "Staging",
    description: "",
    source: "runs:/run-1/model",
    run_id: "run-1",
    status: "READY",
    tags: [],
    aliases: ["champion"],
    storage_location: "file:///x",
    onnx_path: "model.onnx",
    introspection: introspectionOf("breast-cancer-rf-v1"),
    lineage,
    ...overrides,
  };
}

function render(detail: ModelVersionDetail, permissions: string[], locale: "en" | "fr" = "en") {
  return renderWithCache(
    <ModelVersionPage name="m" version="1" />,
    permissions,
    (trpc, queryClient) => {
      queryClient.setQueryData(trpc.registry.version.queryKey({ name: "m", version: "1" }), detail);
      queryClient.setQueryData(trpc.tracking.experiment.queryKey({ experimentId: "7" }), { name: "Demo: breast cancer" } as never);
    },
    locale,
  );
}

describe("ModelVersionPage", () => {
  it("shows the version's digest and the approved review that lets it serve, or says there is none", () => {
    const approved = render(version({ model_digest: "9f".repeat(32), approved_review_id: 12 }), ["studio.read"]);
    expect(approved).toContain("Model bytes");
    expect(approved).toContain(`sha256:${"9f".repeat(6)}…`);
    expect(approved).toContain('href="/reviews/12"');
    const unreviewed = render(version({ model_digest: "9f".repeat(32), approved_review_id: null }), ["studio.read"]);
    expect(unreviewed).toContain("none: served only by explicit version to editors");
  });

  it("alerts when serving refuses the version because its stored bytes no longer match the digest", () => {
    const html = render(version({ model_digest: "9f".repeat(32), integrity_failure: "The stored model bytes of version 1 have SHA-256 00, not the registered 9f." }), ["studio.read"]);
    expect(html).toContain('role="alert"');
    expect(html).toContain("Serving refuses this version: The stored model bytes of version 1");
  });

  it("says the integrity failure in French for a French reader, from its sentence, and the English text without one", () => {
    const failure = `The stored model bytes of version 1 have SHA-256 ${"00".repeat(32)}, not the registered ${"9f".repeat(32)}: they were altered after registration.`;
    const message = integrityFailureSentence(failure);
    const french = render(version({ model_digest: "9f".repeat(32), integrity_failure: failure, integrity_failure_message: message }), ["studio.read"], "fr");
    expect(french).toContain(`Le service refuse cette version\u00a0: Les octets stockés du modèle de la version 1 ont le SHA-256 ${"00".repeat(32)}, et non le ${"9f".repeat(32)} enregistré`);
    const english = render(version({ model_digest: "9f".repeat(32), integrity_failure: failure, integrity_failure_message: message }), ["studio.read"]);
    expect(english).toContain(`Serving refuses this version: ${failure} Restore the file`);
    const uncoded = render(version({ model_digest: "9f".repeat(32), integrity_failure: "Words of an older server.", integrity_failure_message: null }), ["studio.read"], "fr");
    expect(uncoded).toContain("Le service refuse cette version\u00a0: Words of an older server.");
  });

  it("says a version without a pinned digest in the reader's language", () => {
    expect(render(version({ model_digest: null }), ["studio.read"])).toContain("not pinned yet");
    expect(render(version({ model_digest: null }), ["studio.read"], "fr")).toContain("pas encore d’empreinte");
  });

  it("summarises the ONNX graph: producer, opsets, inputs → outputs with types and shapes, operators", () => {
    const html = render(version(), ["studio.read"]);
    expect(html).toContain("skl2onnx 1.14.0");
    expect(html).toContain("ai.onnx.ml 1, ai.onnx 15");
    expect(html).toContain('aria-label="Inputs and outputs"');
    expect(html).toContain("tensor&lt;float32&gt;[?,30]");
    expect(html).toContain("[?, 30]");
    expect(html).toContain('aria-label="Operators"');
    expect(html).toContain("ai.onnx.ml.TreeEnsembleClassifier");
    expect(html).toContain('aria-label="Signature"');
    expect(html).toContain("(-1, 30)");
  });

  it("prefers the signature of the MLmodel file logged with the model, column-based ones included", () => {
    const introspection = {
      ...introspectionOf("breast-cancer-rf-v1"),
      mlmodelSignature: { inputs: [{ type: "double", name: "mean_radius", required: true }], outputs: [{ type: "tensor" as const, "tensor-spec": { dtype: "int64", shape: [-1] } }] },
    };
    const html = render(version({ introspection }), ["studio.read"]);
    expect(html).toContain("From the MLmodel file logged with the model.");
    expect(html).toContain("mean_radius");
    expect(html).toContain("column");
    expect(html).toContain("(-1)");
    expect(html).not.toContain("(-1, 30)");
  });

  it("links the playground and the ONNX download, and shows header facts", () => {
    const html = render(version(), ["studio.read"]);
    expect(html).toContain('href="/models/m/versions/1/playground"');
    expect(html).toContain('href="/api/models/m/versions/1/model.onnx"');
    expect(html).toContain("champion");
    expect(html).toContain("Staging");
    expect(html).toContain("Jan 2, 2026, 3:04 AM UTC");
    expect(html).not.toContain("cannot run this version");
    expect(html).not.toContain('aria-label="Version tags"');
    const tagged = render(version({ tags: [{ key: "owner", value: "<b>team</b>" }] }), ["studio.read"]);
    expect(tagged).toContain('aria-label="Version tags"');
    expect(tagged).toContain("&lt;b&gt;team&lt;/b&gt;");
  });

  it("shows lineage: run in its experiment, registry dataset versions with a failed-quality badge, metrics", () => {
    const html = render(version(), ["studio.read"]);
    expect(html).toContain('href="/experiments/7/runs/run-1"');
    expect(html).toContain('href="/experiments/7">Demo: breast cancer</a>');
    expect(html).toContain('aria-label="Parameters at registration"');
    expect(html).toContain('href="/datasets/breast-cancer/versions/3"');
    expect(html).toContain("failed quality");
    expect(html).toContain("labels shifted");
    expect(html).toContain("not in the dataset registry");
    expect(html).toContain('aria-label="Metrics at registration"');
    expect(html).toContain("0.9561");
    const clean = render(version({ lineage: { ...lineage, datasets: [] } }), ["studio.read"]);
    expect(clean).not.toContain("failed quality");
  });

  it("warns about ZipMap outputs and offers the derivation to writers only", () => {
    const zipmap = version({ introspection: introspectionOf("iris-logreg-zipmap") });
    const viewer = render(zipmap, ["studio.read"]);
    expect(viewer).toContain("cannot run this version");
    expect(viewer).toContain("sequence&lt;map&lt;int64, tensor&lt;float32&gt;&gt;&gt;");
    expect(viewer).not.toContain("Derive a version without ZipMap");
    const writer = render(zipmap, ["studio.read", "models.write"]);
    expect(writer).toContain("Derive a version without ZipMap");
  });

  it("names the version it was derived from", () => {
    const html = render(version({ lineage: { ...lineage, derivedFrom: { version: "4", transform: "remove-zipmap" } } }), ["studio.read"]);
    expect(html).toContain('href="/models/m/versions/4"');
    expect(html).toContain("ZipMap removed");
  });

  it("says what is missing when there is no ONNX file or lineage", () => {
    const html = render(version({ introspection: null, onnx_path: null, lineage: null, run_id: undefined }), ["studio.read"]);
    expect(html).toContain("This version has no ONNX file");
    expect(html).toContain("No lineage was recorded");
    expect(html).not.toContain("/playground");
  });
});

describe("ModelVersionPage in French", () => {
  it("says the header, reviews and lineage in French with French dates", () => {
    const html = renderWithCache(<ModelVersionPage name="m" version="1" />, ["studio.read"], (trpc, queryClient) => {
      queryClient.setQueryData(trpc.registry.version.queryKey({ name: "m", version: "1" }), version());
      queryClient.setQueryData(trpc.tracking.experiment.queryKey({ experimentId: "7" }), { name: "Demo: breast cancer" } as never);
    }, "fr").replace(/[\u202f\u00a0]/g, " ");
    expect(html).toContain("m, version 1");
    expect(html).toContain("Revues d&#x27;acceptation");
    expect(html).toContain("Demander une revue");
    expect(html).toContain("2 janv. 2026, 03:04 UTC");
    expect(html).toContain("Lignée");
    expect(html).toContain("Métriques à l&#x27;enregistrement");
  });
});
