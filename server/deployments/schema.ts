// Zod contracts of a production deployment's traffic: canary and shadow, guard rules, and the live comparison.
import { z } from "zod";
import { zServerSentence } from "@/lib/i18n/server-sentence";

/** A canary answers at most half of production's requests: beyond that it is no longer a canary but a promotion. */
export const MAX_CANARY_SHARE = 0.5;

const zShare = (what: string) => z.number().min(0, `${what} is a share between 0 and 1`).max(1, `${what} is a share between 0 and 1`);

export const zGuardRules = z.object({
  /** Stop when this share of requests or more failed in the guard window (null = not checked). */
  maxErrorRate: zShare("The error rate limit").nullable().default(null),
  /** Stop when the p99 latency of the window reaches this many milliseconds. */
  maxP99Ms: z.number().positive("The p99 latency limit is a number of milliseconds above 0").max(600_000).nullable().default(null),
  /** Stop when the live metric (accuracy; RMSE for regressors, rising) is worse than the baseline by this much. */
  maxLiveMetricDrop: z.number().min(0, "The live metric drop is 0 or more").max(1_000_000).nullable().default(null),
  /** Production only: roll back when this share of features or more drifted in the window. */
  maxDriftShare: zShare("The drift share limit").nullable().default(null),
  /** When production crosses a rule, return it to the previous approved version. */
  autoRollback: z.boolean().default(false),
  /** Requests a route needs in the window before a rule judges it (a handful of errors says little). */
  minRequests: z.number().int().min(1).max(1_000_000).default(20),
});
export type GuardRules = z.infer<typeof zGuardRules>;
export const defaultGuardRules: GuardRules = zGuardRules.parse({});

const zVersionText = z.union([z.string().regex(/^\d+$/, "Model versions are whole numbers"), z.number().int().positive()]).transform(String);

export const zConfigureTrafficInput = z.object({
  name: z.string().min(1).max(500),
  /** Omitted = unchanged; null = stop the canary. */
  canary: z
    .object({
      version: zVersionText,
      share: z.number().min(0, "The canary share is between 0 and 0.5 (0 stops it)").max(MAX_CANARY_SHARE, "The canary share is at most 0.5 (50%); promote the version instead"),
    })
    .nullable()
    .optional(),
  /** Omitted = unchanged; null = stop the shadow. */
  shadow: z.object({ version: zVersionText }).nullable().optional(),
  guards: zGuardRules.optional(),
});
export type ConfigureTrafficInput = z.input<typeof zConfigureTrafficInput>;

export const zTrafficConfig = z.object({
  modelName: z.string(),
  productionVersion: z.string().nullable(),
  canary: z.object({ version: z.string(), share: z.number(), since: z.number().nullable(), approved: z.boolean() }).nullable(),
  shadow: z.object({ version: z.string(), since: z.number().nullable() }).nullable(),
  guards: zGuardRules,
  /** In English, as stored (the REST answer's wording). */
  lastGuardAction: z.string().nullable(),
  /** The same as a catalogue code with its numbers, for the page; null for actions recorded before codes were kept. */
  lastGuardActionMessage: zServerSentence.nullable(),
  lastGuardCheckAt: z.number().nullable(),
});
export type TrafficConfig = z.infer<typeof zTrafficConfig>;

export const zRouteStats = z.object({
  route: z.enum(["production", "canary", "shadow"]),
  version: z.string(),
  requests: z.number(),
  rows: z.number(),
  errors: z.number(),
  errorRate: z.number().nullable(),
  latencyP50: z.number().nullable(),
  latencyP99: z.number().nullable(),
  /** Rows with feedback, and accuracy (classifiers) or RMSE (regressors) on them. */
  liveMetric: z.object({ name: z.enum(["accuracy", "rmse"]), value: z.number(), count: z.number() }).nullable(),
  /** Realised value per 1,000 decisions from feedback, beside the value its review expected (approved versions with outcome values). */
  realisedPer1000: z.number().nullable(),
  expectedPer1000: z.number().nullable(),
});
export type RouteStats = z.infer<typeof zRouteStats>;

export const zTrafficComparison = z.object({
  modelName: z.string(),
  /** Latency, live metric, agreement, drift and the test read the inference log from here (the challenger's start, at most an hour back). */
  from: z.number(),
  /** Requests and errors are exact per-minute counts: they cover the whole minute `from` falls in, from its start. */
  countsFrom: z.number(),
  to: z.number(),
  production: zRouteStats.nullable(),
  challenger: zRouteStats.nullable(),
  /** Shadow: rows both answered (same requests) and the share where their predictions agree. */
  agreement: z.object({ rows: z.number(), rate: z.number().nullable() }).nullable(),
  /** Drift of the challenger's predictions against production's over the period. */
  predictionDrift: z.object({ test: z.string(), score: z.number(), threshold: z.number(), drifted: z.boolean() }).nullable(),
  /** Is the challenger's live metric different from production's? McNemar on shared rows (shadow), two-proportion z (canary). */
  test: z
    .object({
      method: z.enum(["mcnemar", "two-proportion-z"]),
      pValue: z.number(),
      significant: z.boolean(),
      /** Rows with feedback still needed to detect the observed difference at α 0.05 with power 0.8 (0 = enough; null = no difference seen). */
      moreRowsNeeded: z.number().nullable(),
    })
    .nullable(),
  /** Shadow copies dropped by this process because the shadow fell behind. */
  shadowDropped: z.number(),
});
export type TrafficComparison = z.infer<typeof zTrafficComparison>;

export const zGuardOutcome = z.object({
  modelName: z.string(),
  /** What the evaluation did: nothing, stopped the canary, rolled production back. */
  action: z.enum(["none", "canary-stopped", "rolled-back"]),
  reasons: z.array(z.string()),
  /** Production crossed a rule but auto-rollback is off (or there is nowhere to roll back to). */
  productionWarnings: z.array(z.string()),
  /** `reasons` and `productionWarnings` as catalogue codes with their numbers, one for one, for the page. */
  reasonMessages: z.array(zServerSentence),
  warningMessages: z.array(zServerSentence),
});
export type GuardOutcome = z.infer<typeof zGuardOutcome>;
