// The monitoring page rendered from cached answers: header and reference, flag banner with its reasons and the way
// forward, charts' text alternatives, drifted features marked in text, the settings form, and the no-traffic how-to.
import { describe, expect, it, vi } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import { defaultMonitoringThresholds, type FeatureDrift, type MonitoringView, type MonitoringWindow } from "@/server/monitoring/schema";
import { FeatureDriftSection } from "./feature-drift-section";
import { HealthFlag } from "./health-flag";
import { MonitoringPage } from "./monitoring-page";
import { splitColumnOrder } from "./monitoring-settings";

let search = "";
vi.mock("next/navigation", () => ({
  usePathname: () => "/models/breast-cancer-rf/monitoring",
  useSearchParams: () => new URLSearchParams(search),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

const t0 = Date.UTC(2026, 10, 25, 6);
const hour = 3600_000;

function feature(name: string, overrides: Partial<FeatureDrift> = {}): FeatureDrift {
  return { feature: name, kind: "numeric", test: "ks", score: 0.4, threshold: 0.05, drifted: false, psi: 0.02, psiBand: "stable", count: 120, ...overrides };
}

function window(index: number, overrides: Partial<MonitoringWindow> = {}): MonitoringWindow {
  return {
    start: t0 + index * hour,
    end: t0 + (index + 1) * hour,
    requests: 120,
    rows: 120,
    latencyP50: 1.2,
    latencyP95: 3.4,
    latencyP99: 7.5,
    driftShare: 0,
    datasetDrifted: false,
    predictionDrift: feature("prediction", { score: 0.3 }),
    liveMetric: null,
    features: [feature("mean radius"), feature("mean texture")],
    ...overrides,
  };
}

function view(overrides: Partial<MonitoringView> = {}): MonitoringView {
  return {
    modelName: "breast-cancer-rf",
    productionVersion: "4",
    task: "binary",
    reference: { datasetName: "breast-cancer", version: 2, rowCount: 455, source: "lineage" },
    referenceProblem: null,
    unnamedMatrix: null,
    settings: { sampleRate: 1, retentionDays: 30, thresholds: { ...defaultMonitoringThresholds, liveMetric: 0.9 } },
    window: "hour",
    windows: [
      window(0, { liveMetric: { name: "accuracy", value: 0.95, count: 50 } }),
      window(1, {
        driftShare: 0.5,
        datasetDrifted: true,
        liveMetric: { name: "accuracy", value: 0.82, count: 60 },
        features: [
          feature("mean radius", { score: 0.0004, drifted: true, psi: 0.31, psiBand: "significant" }),
          feature("mean texture", { score: 0.6, psi: 0.12, psiBand: "moderate" }),
          feature("smoker", { kind: "categorical", test: "chi-square", score: 0.2, psi: 0.01 }),
          feature("area", { test: "wasserstein", score: 0.25, threshold: 0.1, drifted: true, psi: 0.2, psiBand: "moderate" }),
        ],
      }),
    ],
    flag: { flagged: true, reasons: ["dataset drift: 2 of 4 features drifted (share 0.5 ≥ 0.5)", "live accuracy 0.82 < 0.9"], reasonMessages: [] },
    ...overrides,
  };
}

function render(data: MonitoringView, permissions = ["studio.read", "models.write"], query = "") {
  search = query;
  return renderWithCache(<MonitoringPage name="breast-cancer-rf" />, permissions, (trpc, queryClient) => {
    queryClient.setQueryData(trpc.monitoring.view.queryKey({ name: "breast-cancer-rf", window: data.window }), data);
    queryClient.setQueryData(trpc.datasets.list.queryKey({}), []);
  });
}

describe("MonitoringPage", () => {
  it("names the production version and the reference dataset with its rows and origin", () => {
    const html = render(view());
    expect(html).toMatch(/<h1>Monitoring<\/h1>/);
    expect(html).toContain('href="/models/breast-cancer-rf/versions/4"');
    expect(html).toContain('href="/datasets/breast-cancer/versions/2"');
    expect(html).toContain("breast-cancer@2</a>, 455 rows, from lineage");
  });

  it("shows the flag banner with every reason and the way forward with its links", () => {
    const html = render(view());
    expect(html).toContain("This model is flagged");
    expect(html).toContain("dataset drift: 2 of 4 features drifted (share 0.5 ≥ 0.5)");
    expect(html).toContain("live accuracy 0.82 &lt; 0.9");
    expect(html).toMatch(/retrain.*register a new version.*request a review/);
    expect(html).toContain('href="/reviews"');
    expect(html).toContain('href="/deployments"');
    expect(render(view({ flag: { flagged: false, reasons: [], reasonMessages: [] } }))).not.toContain("This model is flagged");
  });

  it("explains a reference problem in a banner", () => {
    const html = render(view({ reference: null, referenceProblem: "The production version has no training dataset in its lineage." }));
    expect(html).toContain("Drift cannot be computed:");
    expect(html).toContain("no training dataset in its lineage");
  });

  it("draws the charts over time with their headings, threshold and per-window tables", () => {
    const html = render(view());
    for (const title of ["Request volume", "Latency", "Share of drifted features", "Prediction drift", "Live accuracy"]) expect(html).toContain(`>${title}</h3>`);
    expect(html).toContain('aria-label="Latency per window"');
    expect(html).toContain("2026-11-25 07:00 UTC");
    expect(html).toContain("<strong>p99</strong> min 7.5 ms, max 7.5 ms, last 7.5 ms");
    expect(html).toContain("threshold 50%");
    expect(html).toContain("<strong>accuracy</strong> min 0.82, max 0.95, last 0.82");
  });

  it("reads the window size from the URL", () => {
    const html = render(view({ window: "day", windows: [window(0)] }), ["studio.read"], "window=day");
    expect(html).toMatch(/checked="" value="day"/);
    expect(html).toContain(">2026-11-25</th>");
  });

  it("shows how to send requests and feedback when there is no traffic yet", () => {
    const html = render(view({ windows: [window(0, { requests: 0, rows: 0, features: [] })], flag: { flagged: false, reasons: [], reasonMessages: [] } }));
    expect(html).toContain("No traffic yet");
    expect(html).toContain("/api/serve/breast-cancer-rf/invocations");
    expect(html).toContain("Authorization: Bearer &lt;token&gt;");
    expect(html).toContain("dataframe_split");
    expect(html).toContain("/api/serve/breast-cancer-rf/feedback");
    expect(html).toContain("&quot;feedback&quot;: [{&quot;request_id&quot;");
    expect(html).not.toContain(">Request volume</h3>");
  });

  it("offers the settings form to writers only, filled from the current settings", () => {
    const html = render(view());
    expect(html).toMatch(/<button type="submit"[^>]*>Save settings<\/button>/);
    expect(html).toContain("Sampling rate (%)");
    expect(html).toMatch(/value="100"/);
    expect(html).toContain("Training version from lineage");
    expect(html).toContain("Live accuracy threshold");
    expect(render(view(), ["studio.read"])).not.toContain("Save settings");
    expect(render(view())).not.toContain("Column order");
  });

  it("asks to confirm the column order of a matrix that nothing names, starting from the reference's columns or the confirmed order", () => {
    const unnamed = { inputName: "input", width: 3, confirmedOrder: null, referenceColumns: ["radius", "texture", "area"] };
    const html = render(view({ unnamedMatrix: unnamed }));
    expect(html).toContain("<legend>Column order</legend>");
    expect(html).toMatch(/<textarea[^>]*>radius, texture, area<\/textarea>/);
    expect(html).toContain("3 of 3 columns named.");
    expect(html).toContain("Until an order is confirmed, no feature is compared.");
    expect(html).toMatch(/<input type="checkbox"\/> I confirm this is the order/);
    const confirmed = render(view({ unnamedMatrix: { ...unnamed, confirmedOrder: ["area", "radius", "texture"] } }));
    expect(confirmed).toMatch(/<textarea[^>]*>area, radius, texture<\/textarea>/);
    expect(confirmed).toContain("An order is confirmed for this version.");
    // A reference with another number of columns is no guess at all: the person types the order.
    expect(render(view({ unnamedMatrix: { ...unnamed, referenceColumns: ["radius", "texture", "area", "malignant"] } }))).toContain("0 of 3 columns named.");
  });
});

describe("splitColumnOrder", () => {
  it("reads names separated by commas or new lines and drops blanks", () => {
    expect(splitColumnOrder(" a, b\nc ,, \n")).toEqual(["a", "b", "c"]);
  });
});

describe("FeatureDriftSection", () => {
  it("marks drifted features in text, drifted first, with the score against its threshold and the PSI band", () => {
    const html = renderWithCache(<FeatureDriftSection windows={view().windows} size="hour" />, ["studio.read"], () => undefined);
    expect(html).toContain(">Feature drift</h2>");
    const rows = html.split("<tr").slice(2);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain("mean radius");
    expect(rows[0]).toContain("drifted");
    expect(rows[0]).toContain("4.00e-4 &lt; 0.05");
    expect(rows[0]).toContain("significant (≥ 0.25)");
    expect(rows[1]).toContain("area");
    expect(rows[1]).toContain("0.25 ≥ 0.1");
    expect(rows[2]).toContain("no drift");
    expect(rows[3]).toContain("no drift");
    expect(html).toContain("2 of 4 features drifted (dataset drift)");
  });

  it("shows a chosen feature's drift score over the windows", () => {
    const html = renderWithCache(<FeatureDriftSection windows={view().windows} size="hour" initialFeature="mean radius" />, ["studio.read"], () => undefined);
    expect(html).toContain("Drift of mean radius over time");
    expect(html).toContain('aria-pressed="true"');
    expect(html).toContain("<strong>Kolmogorov–Smirnov p-value</strong> min 4.00e-4, max 0.4, last 4.00e-4");
  });
});

describe("HealthFlag", () => {
  it("puts the reasons in the tooltip and in text for screen readers; nothing when healthy", () => {
    const html = renderWithCache(<HealthFlag reasons={["live accuracy 0.7 < 0.9"]} />, ["studio.read"], () => undefined);
    expect(html).toContain('title="live accuracy 0.7 &lt; 0.9"');
    expect(html).toContain('<span class="visually-hidden">: live accuracy 0.7 &lt; 0.9</span>');
    expect(renderWithCache(<HealthFlag reasons={[]} />, ["studio.read"], () => undefined)).toBe("");
  });
});

describe("HealthFlag and the flag banner in French", () => {
  const reasons = ["Dataset drift: 2 of 4 features drifted in the window from 2026-11-25 06:00 UTC (mean radius, area), at or above the 50% limit.", "a reason from an older server"];
  const messages = [
    { code: "flag.dataset_drift", params: { drifted: 2, features: 4, when: "2026-11-25 06:00", names: "mean radius, area", limit: 50 } },
    null,
  ];

  it("say each reason in French where its code is kept, and as the server wrote it otherwise", () => {
    const html = renderWithCache(<HealthFlag reasons={reasons} messages={messages} />, ["studio.read"], () => undefined, "fr");
    const french = "Dérive du jeu de données\u00a0: 2 variables sur 4 ont dérivé dans la fenêtre commençant le 2026-11-25 06:00 UTC (mean radius, area), à la limite de 50 % ou au-delà.";
    expect(html).toContain(`title="${french}\u00a0; a reason from an older server"`);
    expect(html).toContain("</span> signalé<");
    expect(renderWithCache(<HealthFlag reasons={[]} showHealthy />, ["studio.read"], () => undefined, "fr")).toContain("sain");
  });

  it("show the banner's title, reasons and way forward in French", () => {
    const html = renderWithCache(
      <MonitoringPage name="breast-cancer-rf" />,
      ["studio.read"],
      (trpc, queryClient) => queryClient.setQueryData(trpc.monitoring.view.queryKey({ name: "breast-cancer-rf", window: "hour" }), view({ flag: { flagged: true, reasons, reasonMessages: [messages[0]!] } })),
      "fr",
    );
    expect(html).toContain("Ce modèle est signalé");
    expect(html).toContain("<li>Dérive du jeu de données\u00a0: 2 variables sur 4 ont dérivé");
    expect(html).toContain("<li>a reason from an older server</li>");
    expect(html).toContain("Marche à suivre\u00a0:");
  });
});

describe("the monitoring page in French", () => {
  it("says the header, the charts, the feature drift and the settings in French, with no English heading left", () => {
    search = "";
    const html = renderWithCache(
      <MonitoringPage name="breast-cancer-rf" />,
      ["studio.read", "models.write"],
      (trpc, queryClient) => {
        queryClient.setQueryData(trpc.monitoring.view.queryKey({ name: "breast-cancer-rf", window: "hour" }), view());
        queryClient.setQueryData(trpc.datasets.list.queryKey({}), []);
      },
      "fr",
    );
    expect(html).toMatch(/<h1>Surveillance<\/h1>/);
    expect(html).toContain("Version en production");
    expect(html).toContain("breast-cancer@2</a>, 455 lignes, issu du lignage");
    expect(html).toContain("100 % des requêtes, conservées 30 jours");
    for (const title of ["Volume de requêtes", "Latence", "Part des variables ayant dérivé", "Dérive des prédictions", "Exactitude en production"]) expect(html).toContain(`>${title}</h3>`);
    expect(html).toContain("<strong>p99</strong> min 7,5 ms, max 7,5 ms, dernier 7,5 ms");
    expect(html).toContain(" (2 fenêtres)");
    expect(html).toContain(">Dérive des variables</h2>");
    expect(html).toContain("significative (≥ 0,25)");
    expect(html).toContain("0,25 ≥ 0,1");
    expect(html).toContain("p-valeur de Kolmogorov–Smirnov");
    expect(html).toContain("Réglages de surveillance");
    expect(html).toMatch(/<button type="submit"[^>]*>Enregistrer les réglages<\/button>/);
    expect(html).not.toMatch(/>(Monitoring|Over time|Request volume|Feature drift|Save settings|Hourly|Daily|Drift thresholds|Logging)</);
  });
});
