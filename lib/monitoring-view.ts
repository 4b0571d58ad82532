// Pure helpers of the monitoring and deployments pages: window labels, drift severity and sorting, PSI band
// text, chart series, the settings form's parsing, and the links of the way forward.
import { formatScore } from "./i18n/format";
import type { Locale } from "./i18n/locales";
import type { FeatureDrift, MonitoringSettingsInput, MonitoringThresholds, MonitoringWindow, WindowSize } from "@/server/monitoring/schema";

/** ISO-like and locale-independent (server and browser render the same text); a day window needs no clock. */
export function formatWindowStart(start: number, size: WindowSize): string {
  if (!Number.isFinite(start)) return "—";
  const iso = new Date(start).toISOString();
  return size === "day" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Short axis tick: the hour of an hour window, the month-day of a day window. */
export function formatWindowTick(start: number, size: WindowSize): string {
  if (!Number.isFinite(start)) return "";
  const iso = new Date(start).toISOString();
  return size === "day" ? iso.slice(5, 10) : iso.slice(11, 16);
}

const WINDOW_LENGTH_MS: Record<WindowSize, number> = { hour: 3_600_000, day: 86_400_000 };

/**
 * The x-axis span of a window chart. A single window would make a zero-wide domain, on which the chart library
 * places nothing: the span is then widened by one window on each side, so the lone point sits in the middle.
 */
export function windowChartDomain(starts: readonly number[], size: WindowSize): [number, number] | null {
  const finite = starts.filter(Number.isFinite);
  if (!finite.length) return null;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return min === max ? [min - WINDOW_LENGTH_MS[size], max + WINDOW_LENGTH_MS[size]] : [min, max];
}

/**
 * Indexes of values with no value on either side: a line needs two neighbouring points, so these would not be
 * drawn at all (gaps are not bridged, a missing window must look missing); the chart marks them with a dot.
 */
export function isolatedPointIndexes(values: readonly (number | null | undefined)[]): Set<number> {
  const present = (i: number) => i >= 0 && i < values.length && values[i] !== null && values[i] !== undefined && Number.isFinite(values[i]);
  const isolated = new Set<number>();
  values.forEach((_, i) => {
    if (present(i) && !present(i - 1) && !present(i + 1)) isolated.add(i);
  });
  return isolated;
}

export const psiBandLimits = { moderate: 0.1, significant: 0.25 } as const;

/** The band said with its limits, so the reader need not know PSI's conventions. */
export function psiBandText(band: FeatureDrift["psiBand"]): string {
  if (band === "stable") return `stable (< ${psiBandLimits.moderate})`;
  if (band === "moderate") return `moderate (${psiBandLimits.moderate}–${psiBandLimits.significant})`;
  return `significant (≥ ${psiBandLimits.significant})`;
}

/** For the p-value tests a smaller score means more drift; for the distances a larger one. */
export function isPValueTest(test: FeatureDrift["test"]): boolean {
  return test === "ks" || test === "chi-square";
}

export const driftTestNames: Record<FeatureDrift["test"], string> = {
  ks: "Kolmogorov–Smirnov p-value",
  wasserstein: "Wasserstein distance (normalised)",
  "chi-square": "chi-square p-value",
  "jensen-shannon": "Jensen–Shannon distance",
};

/** "0.012 < 0.05" or "0.31 ≥ 0.1": the score against its threshold in the direction that flags drift. */
export function scoreAgainstThreshold(drift: Pick<FeatureDrift, "test" | "score" | "threshold" | "drifted">, locale: Locale = "en"): string {
  const score = formatScore(drift.score, locale);
  const threshold = formatScore(drift.threshold, locale);
  if (isPValueTest(drift.test)) return `${score} ${drift.drifted ? "<" : "≥"} ${threshold}`;
  return `${score} ${drift.drifted ? "≥" : "<"} ${threshold}`;
}

export { formatScore };

/**
 * How far past its threshold a feature is, comparable across tests: 1 at the threshold, above 1 drifted.
 * p-values are turned around (threshold / p) so that both kinds grow with drift.
 */
export function driftSeverity(drift: Pick<FeatureDrift, "test" | "score" | "threshold">): number {
  if (isPValueTest(drift.test)) return drift.threshold / Math.max(drift.score, 1e-300);
  return drift.threshold > 0 ? drift.score / drift.threshold : drift.score;
}

export type FeatureOrder = "severity" | "drifted" | "name";

/** A sorted copy: most severe first, drifted features first (then by severity), or by name. */
export function sortFeatureDrift(features: readonly FeatureDrift[], order: FeatureOrder): FeatureDrift[] {
  const byName = (a: FeatureDrift, b: FeatureDrift) => a.feature.localeCompare(b.feature);
  const bySeverity = (a: FeatureDrift, b: FeatureDrift) => driftSeverity(b) - driftSeverity(a) || byName(a, b);
  const sorted = [...features];
  if (order === "name") return sorted.sort(byName);
  if (order === "severity") return sorted.sort(bySeverity);
  return sorted.sort((a, b) => Number(b.drifted) - Number(a.drifted) || bySeverity(a, b));
}

/** The newest window that saw rows: the one whose per-feature drift the table shows. */
export function latestWindowWithRows(windows: readonly MonitoringWindow[]): MonitoringWindow | null {
  for (let i = windows.length - 1; i >= 0; i--) if (windows[i].rows > 0 && windows[i].features.length > 0) return windows[i];
  return null;
}

export function hasTraffic(windows: readonly MonitoringWindow[]): boolean {
  return windows.some((window) => window.requests > 0);
}

export interface MonitoringChartRow {
  start: number;
  requests: number;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
  driftShare: number | null;
  predictionDrift: number | null;
  liveMetric: number | null;
  /** Binary classifiers: live F1 of class 1 beside accuracy. */
  liveF1: number | null;
}

/** One row per window, oldest first; null where a window had nothing to measure (the line breaks there). */
export function monitoringChartRows(windows: readonly MonitoringWindow[]): MonitoringChartRow[] {
  return windows.map((window) => ({
    start: window.start,
    requests: window.requests,
    latencyP50: window.latencyP50,
    latencyP95: window.latencyP95,
    latencyP99: window.latencyP99,
    driftShare: window.driftShare,
    predictionDrift: window.predictionDrift?.score ?? null,
    liveMetric: window.liveMetric?.value ?? null,
    liveF1: window.liveMetric?.f1 ?? null,
  }));
}

/** The live metric's name as the windows report it (accuracy, f1 or rmse), or null before any feedback. */
export function liveMetricName(windows: readonly MonitoringWindow[]): "accuracy" | "f1" | "rmse" | null {
  for (const window of windows) if (window.liveMetric) return window.liveMetric.name;
  return null;
}

export interface FeatureScorePoint {
  start: number;
  score: number;
  threshold: number;
  drifted: boolean;
}

/** One feature's drift score over the windows that measured it. */
export function featureScoreSeries(windows: readonly MonitoringWindow[], feature: string): FeatureScorePoint[] {
  const points: FeatureScorePoint[] = [];
  for (const window of windows) {
    const drift = window.features.find((entry) => entry.feature === feature);
    if (drift) points.push({ start: window.start, score: drift.score, threshold: drift.threshold, drifted: drift.drifted });
  }
  return points;
}

/** Min, max and last of a series, for the sentence under a chart (its text alternative's summary). */
export function seriesSummary(values: readonly (number | null)[]): { min: number; max: number; last: number; count: number } | null {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (!present.length) return null;
  return { min: Math.min(...present), max: Math.max(...present), last: present[present.length - 1], count: present.length };
}

// ---------------------------------------------------------------- settings form

/** What the settings form holds: text as typed, so half-typed numbers are not lost. */
export interface SettingsDraft {
  samplePercent: string;
  retentionDays: string;
  ksPValue: string;
  wasserstein: string;
  chiSquarePValue: string;
  jensenShannon: string;
  datasetDriftShare: string;
  /** Blank = not checked. */
  liveMetric: string;
  /** "lineage" or "<dataset>@<version>". */
  reference: string;
}

export type SettingsField = keyof SettingsDraft;

export function settingsDraft(
  settings: { sampleRate: number; retentionDays: number; thresholds: MonitoringThresholds },
  reference: { datasetName: string; version: number; source: "lineage" | "chosen" } | null,
): SettingsDraft {
  const t = settings.thresholds;
  return {
    samplePercent: String(Number((settings.sampleRate * 100).toPrecision(6))),
    retentionDays: String(settings.retentionDays),
    ksPValue: String(t.ksPValue),
    wasserstein: String(t.wasserstein),
    chiSquarePValue: String(t.chiSquarePValue),
    jensenShannon: String(t.jensenShannon),
    datasetDriftShare: String(t.datasetDriftShare),
    liveMetric: t.liveMetric === null ? "" : String(t.liveMetric),
    reference: reference && reference.source === "chosen" ? referenceChoice(reference.datasetName, reference.version) : "lineage",
  };
}

export const referenceChoice = (datasetName: string, version: number) => `${datasetName}@${version}`;

/** "<name>@<version>" back to its parts; names may hold "@", the version is after the last one. */
export function parseReferenceChoice(choice: string): { datasetName: string; version: number } | null {
  const at = choice.lastIndexOf("@");
  if (choice === "lineage" || at <= 0) return null;
  const version = Number(choice.slice(at + 1));
  if (!Number.isInteger(version) || version < 1) return null;
  return { datasetName: choice.slice(0, at), version };
}

function numberIn(text: string, check: (value: number) => boolean): number | null {
  if (text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) && check(value) ? value : null;
}

/** The form as the updateSettings input, or a message per field that says what to type instead. */
export function parseSettingsDraft(
  name: string,
  draft: SettingsDraft,
): { ok: true; input: MonitoringSettingsInput } | { ok: false; errors: Partial<Record<SettingsField, string>> } {
  const errors: Partial<Record<SettingsField, string>> = {};
  const openUnit = (value: number) => value > 0 && value < 1;
  const percent = numberIn(draft.samplePercent, (v) => v >= 0 && v <= 100);
  if (percent === null) errors.samplePercent = "Type a percentage from 0 to 100.";
  const retention = numberIn(draft.retentionDays, (v) => Number.isInteger(v) && v >= 1 && v <= 3650);
  if (retention === null) errors.retentionDays = "Type a whole number of days from 1 to 3650.";
  const ks = numberIn(draft.ksPValue, openUnit);
  if (ks === null) errors.ksPValue = "Type a p-value between 0 and 1, e.g. 0.05.";
  const wasserstein = numberIn(draft.wasserstein, (v) => v > 0);
  if (wasserstein === null) errors.wasserstein = "Type a positive distance, e.g. 0.1.";
  const chi = numberIn(draft.chiSquarePValue, openUnit);
  if (chi === null) errors.chiSquarePValue = "Type a p-value between 0 and 1, e.g. 0.05.";
  const js = numberIn(draft.jensenShannon, (v) => v > 0 && v <= 1);
  if (js === null) errors.jensenShannon = "Type a distance above 0 and at most 1, e.g. 0.1.";
  const share = numberIn(draft.datasetDriftShare, (v) => v > 0 && v <= 1);
  if (share === null) errors.datasetDriftShare = "Type a share above 0 and at most 1, e.g. 0.5 for half the features.";
  let liveMetric: number | null = null;
  if (draft.liveMetric.trim() !== "") {
    liveMetric = numberIn(draft.liveMetric, (v) => v >= 0);
    if (liveMetric === null) errors.liveMetric = "Type a number of 0 or more, or leave it blank to not check the live metric.";
  }
  const reference = parseReferenceChoice(draft.reference);
  if (draft.reference !== "lineage" && reference === null) errors.reference = "Choose a dataset version or the training version from lineage.";
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      name,
      sampleRate: percent! / 100,
      retentionDays: retention!,
      thresholds: { ksPValue: ks!, wasserstein: wasserstein!, chiSquarePValue: chi!, jensenShannon: js!, datasetDriftShare: share!, liveMetric },
      reference,
    },
  };
}

/**
 * The server's flattened zod field errors (top-level keys of the input) placed next to the form's boxes;
 * threshold errors go to the first threshold box, as the flattening does not say which threshold.
 */
export function settingsErrorsFromServer(fieldErrors: unknown): Partial<Record<SettingsField, string>> {
  if (!fieldErrors || typeof fieldErrors !== "object") return {};
  const fieldOfKey: Record<string, SettingsField> = { sampleRate: "samplePercent", retentionDays: "retentionDays", thresholds: "ksPValue", reference: "reference" };
  const errors: Partial<Record<SettingsField, string>> = {};
  for (const [key, messages] of Object.entries(fieldErrors as Record<string, unknown>)) {
    const field = fieldOfKey[key];
    if (field && Array.isArray(messages) && typeof messages[0] === "string") errors[field] = messages[0];
  }
  return errors;
}

// ---------------------------------------------------------------- deployments

export const monitoringHref = (model: string) => `/models/${encodeURIComponent(model)}/monitoring`;
export const requestReviewHref = (model: string, version: string) =>
  `/reviews/new?model=${encodeURIComponent(model)}&version=${encodeURIComponent(version)}`;

export const aliasEventKindText: Record<string, string> = {
  set: "set",
  delete: "removed",
  override: "admin override of the review gate",
  rollback: "rollback",
  upgrade: "in place before alias history was kept",
};

/** "v3 → v4", "— → v1" for a first assignment, "v2 → —" for a removal. */
export function aliasChangeText(previousVersion: string | null, version: string | null): string {
  const side = (value: string | null) => (value === null ? "—" : `v${value}`);
  return `${side(previousVersion)} → ${side(version)}`;
}
