// One monitoring window for tests: quiet traffic with nothing drifted, so each test states only what it is about.
import type { MonitoringWindow } from "../monitoring/schema";

export function monitoringWindow(start: number, requests: number, overrides: Partial<MonitoringWindow> = {}): MonitoringWindow {
  return {
    start,
    end: start + 3_600_000,
    requests,
    rows: requests,
    latencyP50: 1,
    latencyP95: 2,
    latencyP99: 3,
    driftShare: 0,
    datasetDrifted: false,
    predictionDrift: null,
    liveMetric: null,
    features: [],
    ...overrides,
  };
}
