// The live comparison says exactly which period its numbers cover: the counts (kept per whole minute) from the start
// of the minute the comparison starts in, the figures read from the inference log from the start itself; in en and fr.
import { describe, expect, it } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import type { RouteStats, TrafficComparison } from "@/server/deployments/schema";
import { TrafficComparisonView } from "./traffic-comparison";

const route = (over: Partial<RouteStats>): RouteStats => ({
  route: "production",
  version: "1",
  requests: 120,
  rows: 120,
  errors: 0,
  errorRate: 0,
  latencyP50: 2,
  latencyP99: 4,
  liveMetric: null,
  realisedPer1000: null,
  expectedPer1000: null,
  ...over,
});

// The canary started at 09:41:37.250: its counts cover 09:41:00 onwards.
const from = Date.UTC(2026, 11, 6, 9, 41, 37, 250);
const comparison: TrafficComparison = {
  modelName: "bc",
  from,
  countsFrom: Date.UTC(2026, 11, 6, 9, 41),
  to: Date.UTC(2026, 11, 6, 10, 5),
  production: route({}),
  challenger: route({ route: "canary", version: "2", requests: 12, rows: 12 }),
  agreement: null,
  predictionDrift: null,
  test: null,
  shadowDropped: 0,
};

function render(locale: "en" | "fr"): string {
  const html = renderWithCache(<TrafficComparisonView name="bc" />, ["studio.read"], (trpc, queryClient) => {
    queryClient.setQueryData(trpc.deployments.comparison.queryKey({ name: "bc" }), comparison);
  }, locale);
  return html.match(/data-testid="comparison-window">([^<]*)</)?.[1] ?? "(no window sentence)";
}

describe("live comparison window", () => {
  it("says the counts start at the minute's start and the rest at the comparison's start, in English", () => {
    expect(render("en")).toBe(
      "Requests and errors from 2026-12-06 09:41:00 UTC to now: they are counted per whole minute, so they start at the beginning of the minute the comparison starts in (2026-12-06 09:41:37 UTC). Latency, live metric, agreement, drift and the test from 2026-12-06 09:41:37 UTC to now.",
    );
  });

  it("and in French", () => {
    expect(render("fr")).toBe(
      "Requêtes et erreurs de 6 déc. 2026, 09:41:00 UTC à maintenant\u00a0: elles sont comptées par minute entière, et partent donc du début de la minute où commence la comparaison (6 déc. 2026, 09:41:37 UTC). Latence, métrique en direct, accord, dérive et test de 6 déc. 2026, 09:41:37 UTC à maintenant.",
    );
  });
});
