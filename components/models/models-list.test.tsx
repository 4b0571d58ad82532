// The models list rendered from cached answers: table of models with aliases and stages, and the empty states.
import { describe, expect, it, vi } from "vitest";
import type { ModelVersion, RegisteredModel } from "@/server/registry/schema";
import { ModelsList } from "./models-list";
import { renderWithCache } from "./render-with-cache";
import type { ModelFlag } from "@/server/monitoring/schema";

let search = "";
vi.mock("next/navigation", () => ({
  usePathname: () => "/models",
  useSearchParams: () => new URLSearchParams(search),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

function modelVersion(version: string, stage: string): ModelVersion {
  return {
    name: "breast-cancer-rf",
    version,
    creation_timestamp: Date.UTC(2026, 0, 1),
    last_updated_timestamp: Date.UTC(2026, 0, 1),
    user_id: "alice",
    current_stage: stage,
    description: "",
    source: "runs:/r1/model",
    status: "READY",
    tags: [],
    aliases: [],
  };
}

const model: RegisteredModel = {
  name: "breast-cancer-rf",
  creation_timestamp: Date.UTC(2026, 0, 1),
  last_updated_timestamp: Date.UTC(2026, 0, 2),
  user_id: "alice",
  description: "# Random forest <script>alert(1)</script>\n\nMore detail here.",
  latest_versions: [modelVersion("1", "Production"), modelVersion("2", "None")],
  tags: [],
  aliases: [
    { alias: "champion", version: "1" },
    { alias: "challenger", version: "2" },
  ],
};

function render(models: RegisteredModel[], q = "", flags: Record<string, ModelFlag> = {}, permissions = ["studio.read"]) {
  search = q ? `q=${encodeURIComponent(q)}` : "";
  return renderWithCache(<ModelsList />, permissions, (trpc, queryClient) => {
    queryClient.setQueryData(trpc.monitoring.flags.queryKey(), flags);
    queryClient.setQueryData(trpc.registry.listModels.queryKey({ search: q || undefined }), models);
  });
}

describe("ModelsList", () => {
  it("lists each model with its newest version, aliases, stage and the description's first block as plain text", () => {
    const html = render([model]);
    expect(html).toContain('aria-label="Models"');
    expect(html).toContain('href="/models/breast-cancer-rf"');
    expect(html).toContain('href="/models/breast-cancer-rf/versions/2"');
    expect(html).toContain("champion → v1");
    expect(html).toContain("challenger → v2");
    expect(html).toContain("Production");
    // Markdown markup and HTML tags are neither shown nor rendered: the heading's words (tags dropped, text kept).
    expect(html).toMatch(/>Random forest alert\(1\)<\/div>/);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("&lt;script");
    expect(html).not.toContain("More detail here");
  });

  it("explains both ways to register when there are no models, and how to clear a search that matched none", () => {
    const empty = render([]);
    expect(empty).toContain("Register model");
    expect(empty).toContain("mlflow.register_model");
    const searched = render([], "zzz");
    expect(searched).toContain("No model name matches this search");
    expect(searched).toContain('value="zzz"');
  });

  it("flags a model whose monitoring crossed a threshold, the reasons in the tooltip and in text for screen readers", () => {
    const other = { ...model, name: "churn" };
    const html = render([model, other], "", { "breast-cancer-rf": { reasons: ["dataset drift: 3 of 5 features drifted", "live accuracy 0.71 < 0.8"], reasonMessages: null } });
    const [flaggedRow, healthyRow] = html.split("<tr").slice(2);
    expect(flaggedRow).toContain('title="dataset drift: 3 of 5 features drifted; live accuracy 0.71 &lt; 0.8"');
    expect(flaggedRow).toContain('<span class="visually-hidden">: dataset drift: 3 of 5 features drifted; live accuracy 0.71 &lt; 0.8</span>');
    expect(healthyRow).toContain("churn");
    expect(healthyRow).not.toContain("flagged");
  });

  it("offers the ONNX drop zone to those who may register models, never to a viewer", () => {
    const editor = render([model], "", {}, ["studio.read", "models.write"]);
    expect(editor).toContain("Upload an ONNX model");
    expect(editor).toContain("Drop a .onnx file here, or click to choose one");
    expect(editor).toMatch(/<input[^>]*type="file"[^>]*accept=".onnx"/);
    const viewer = render([model]);
    expect(viewer).not.toContain("Upload an ONNX model");
    expect(viewer).not.toContain('type="file"');
  });
});
