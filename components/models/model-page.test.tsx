// The model page rendered from cached answers: safe markdown, aliases, versions newest first with run links, writer-only controls.
import { describe, expect, it, vi } from "vitest";
import type { ModelVersion, RegisteredModelDetail } from "@/server/registry/schema";
import { ModelPage } from "./model-page";
import { renderToStaticMarkup } from "react-dom/server";
import { RemoveProductionForm } from "./alias-editor";
import { renderWithCache } from "./render-with-cache";
import type { ModelFlag } from "@/server/monitoring/schema";

vi.mock("next/navigation", () => ({
  usePathname: () => "/models/breast-cancer-rf",
  useSearchParams: () => new URLSearchParams(),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

function modelVersion(version: string, overrides: Partial<ModelVersion> = {}): ModelVersion {
  return {
    name: "breast-cancer-rf",
    version,
    creation_timestamp: Date.UTC(2026, 0, Number(version)),
    last_updated_timestamp: Date.UTC(2026, 0, Number(version)),
    user_id: "alice",
    current_stage: "None",
    description: "",
    source: `runs:/run-${version}/model`,
    run_id: `run-${version}`,
    status: "READY",
    tags: [],
    aliases: [],
    ...overrides,
  };
}

function detail(overrides: Partial<RegisteredModelDetail> = {}): RegisteredModelDetail {
  const versions = [modelVersion("2", { aliases: ["challenger"] }), modelVersion("1", { current_stage: "Production", aliases: ["champion"] })];
  return {
    name: "breast-cancer-rf",
    creation_timestamp: Date.UTC(2026, 0, 1),
    last_updated_timestamp: Date.UTC(2026, 0, 2),
    user_id: "alice",
    description: "**Random forest** on [the data](https://example.org) <img src=x onerror=alert(1)> [bad](javascript:alert(1))",
    latest_versions: versions,
    versions,
    tags: [{ key: "team", value: "oncology" }],
    aliases: [
      { alias: "champion", version: "1" },
      { alias: "challenger", version: "2" },
    ],
    ...overrides,
  };
}

function render(model: RegisteredModelDetail, permissions: string[], flags: Record<string, ModelFlag> = {}, role = "editor") {
  return renderWithCache(<ModelPage name="breast-cancer-rf" />, permissions, (trpc, queryClient) => {
    queryClient.setQueryData(trpc.auth.me.queryKey(), { actor: { username: "alice", role, via: "session" }, permissions } as never);
    queryClient.setQueryData(trpc.monitoring.flags.queryKey(), flags);
    queryClient.setQueryData(trpc.registry.model.queryKey({ name: "breast-cancer-rf" }), model);
    // The versions carry run ids only; the run's experiment comes from tracking.
    queryClient.setQueryData(trpc.tracking.run.queryKey({ runId: "run-1" }), { info: { experiment_id: "7", run_name: "rf-100-trees" } } as never);
  });
}

describe("ModelPage", () => {
  it("renders the description as markdown without raw HTML or script links", () => {
    const html = render(detail(), ["studio.read"]);
    expect(html).toContain("<strong>Random forest</strong>");
    expect(html).toContain('href="https://example.org" target="_blank" rel="noopener noreferrer"');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("javascript:");
  });

  it("lists versions newest first with stage, aliases, source and a link to the run in its experiment", () => {
    const html = render(detail(), ["studio.read"]);
    expect(html).toContain('aria-label="Model versions"');
    // The alias chips above also link to versions: look inside the table only.
    const table = html.slice(html.indexOf('aria-label="Model versions"'));
    const v2 = table.indexOf('href="/models/breast-cancer-rf/versions/2"');
    const v1 = table.indexOf('href="/models/breast-cancer-rf/versions/1"');
    expect(v2).toBeGreaterThan(0);
    expect(v1).toBeGreaterThan(v2);
    expect(html).toContain('href="/experiments/7/runs/run-1"');
    expect(html).toContain("rf-100-trees");
    expect(html).toContain("runs:/run-2/model");
    expect(html).toContain("Production");
    expect(html).toContain("oncology");
  });

  it("gives writers the alias form, alias deletion, stage selects and description editing; viewers see none of them", () => {
    const viewer = render(detail(), ["studio.read"]);
    expect(viewer).toContain("champion");
    expect(viewer).not.toContain("Set alias");
    expect(viewer).not.toContain("Delete alias");
    expect(viewer).not.toContain("Edit description");
    // No stage select; the champion-vs-challenger selects only read, so a viewer has those.
    expect(viewer).not.toContain('aria-label="Stage of version');
    expect(viewer).toContain("Champion vs challenger on a CSV");
    const writer = render(detail(), ["studio.read", "models.write"]);
    expect(writer).toContain("Set alias");
    expect(writer).toContain('aria-label="Delete alias champion"');
    expect(writer).toContain("Edit description");
    expect(writer).toContain('aria-label="Stage of version 1"');
    expect(writer).toMatch(/<option value="Production" selected="">/);
  });

  it("lets only an admin delete the production alias (it takes the endpoint offline); an editor deletes the others", () => {
    const aliases = [
      { alias: "champion", version: "1" },
      { alias: "production", version: "1" },
    ];
    const editor = render(detail({ aliases }), ["studio.read", "models.write"]);
    expect(editor).toContain('aria-label="Delete alias champion"');
    expect(editor).not.toContain('aria-label="Delete alias production"');
    const admin = render(detail({ aliases }), ["studio.read", "models.write", "deployments.promote"], {}, "admin");
    expect(admin).toContain('aria-label="Delete alias production"');
    expect(admin).toContain('title="Take the model out of production (admin, with a reason)"');
  });

  it("asks for a reason before removing production, saying what it does", () => {
    const html = renderToStaticMarkup(<RemoveProductionForm name="churn" pending={false} onRemove={() => undefined} onCancel={() => undefined} />);
    expect(html).toContain("takes churn out of production: its default endpoint answers 404");
    expect(html).toMatch(/<label for="[^"]+-reason">Reason \(recorded in the audit log\)<\/label>/);
    expect(html).toMatch(/<button type="submit"[^>]*disabled=""[^>]*>Remove production alias<\/button>/);
  });

  it("says how to register the first version when there is none", () => {
    const html = render(detail({ versions: [], latest_versions: [], aliases: [], description: "" }), ["studio.read"]);
    expect(html).toContain("No versions yet");
    expect(html).toContain("mlflow.register_model");
    expect(html).toContain("No description yet");
  });

  it("links to the model's monitoring page and shows its health flag with the reasons when flagged", () => {
    const healthy = render(detail(), ["studio.read"]);
    expect(healthy).toContain('href="/models/breast-cancer-rf/monitoring"');
    expect(healthy).not.toContain("flagged");
    const flagged = render(detail(), ["studio.read"], { "breast-cancer-rf": { reasons: ["live accuracy 0.71 < 0.8"], reasonMessages: null } });
    expect(flagged).toContain('title="live accuracy 0.71 &lt; 0.8"');
    expect(flagged).toContain(": live accuracy 0.71 &lt; 0.8");
  });
});
