// The message catalogues: one JSON file per namespace and language (messages/<locale>/<namespace>.json), merged
// here per language. Add a namespace by adding its two files and one import per language below; the completeness
// test (lib/i18n/messages.test.ts) checks every key exists in every language.
import type { Locale } from "@/lib/i18n/locales";
import enCommon from "./en/common.json";
import frCommon from "./fr/common.json";
import enComparison from "./en/comparison.json";
import frComparison from "./fr/comparison.json";
import enDeployments from "./en/deployments.json";
import frDeployments from "./fr/deployments.json";
import enErasure from "./en/erasure.json";
import frErasure from "./fr/erasure.json";
import enFairness from "./en/fairness.json";
import frFairness from "./fr/fairness.json";
import enModelVersion from "./en/modelVersion.json";
import frModelVersion from "./fr/modelVersion.json";
import enCompareRuns from "./en/compareRuns.json";
import frCompareRuns from "./fr/compareRuns.json";
import enReasons from "./en/reasons.json";
import frReasons from "./fr/reasons.json";
import enReview from "./en/review.json";
import frReview from "./fr/review.json";
import enReviewSentences from "./en/reviewSentences.json";
import frReviewSentences from "./fr/reviewSentences.json";
import enRunPage from "./en/runPage.json";
import frRunPage from "./fr/runPage.json";
import enReviews from "./en/reviews.json";
import frReviews from "./fr/reviews.json";
import enRunsTable from "./en/runsTable.json";
import frRunsTable from "./fr/runsTable.json";
import enSentences from "./en/sentences.json";
import frSentences from "./fr/sentences.json";
import enSettings from "./en/settings.json";
import frSettings from "./fr/settings.json";
import enShell from "./en/shell.json";
import frShell from "./fr/shell.json";
import enSignOff from "./en/signOff.json";
import frSignOff from "./fr/signOff.json";
import enSignOffSheet from "./en/signOffSheet.json";
import frSignOffSheet from "./fr/signOffSheet.json";
import enTechnicalFile from "./en/technicalFile.json";
import frTechnicalFile from "./fr/technicalFile.json";
import enLabelling from "./en/labelling.json";
import frLabelling from "./fr/labelling.json";
import enTraffic from "./en/traffic.json";
import frTraffic from "./fr/traffic.json";
import enJobs from "./en/jobs.json";
import frJobs from "./fr/jobs.json";
import enMonitoring from "./en/monitoring.json";
import frMonitoring from "./fr/monitoring.json";
import enOutage from "./en/outage.json";
import frOutage from "./fr/outage.json";
import enValue from "./en/value.json";
import frValue from "./fr/value.json";
import enPlayground from "./en/playground.json";
import frPlayground from "./fr/playground.json";
import enWebhooks from "./en/webhooks.json";
import frWebhooks from "./fr/webhooks.json";

export const catalogues = {
  en: { common: enCommon, comparison: enComparison, compareRuns: enCompareRuns, deployments: enDeployments, erasure: enErasure, fairness: enFairness, jobs: enJobs, labelling: enLabelling, modelVersion: enModelVersion, monitoring: enMonitoring, outage: enOutage, playground: enPlayground, reasons: enReasons, review: enReview, reviewSentences: enReviewSentences, reviews: enReviews, runPage: enRunPage, runsTable: enRunsTable, sentences: enSentences, settings: enSettings, shell: enShell, signOff: enSignOff, signOffSheet: enSignOffSheet, technicalFile: enTechnicalFile, traffic: enTraffic, value: enValue, webhooks: enWebhooks },
  fr: { common: frCommon, comparison: frComparison, compareRuns: frCompareRuns, deployments: frDeployments, erasure: frErasure, fairness: frFairness, jobs: frJobs, labelling: frLabelling, modelVersion: frModelVersion, monitoring: frMonitoring, outage: frOutage, playground: frPlayground, reasons: frReasons, review: frReview, reviewSentences: frReviewSentences, reviews: frReviews, runPage: frRunPage, runsTable: frRunsTable, sentences: frSentences, settings: frSettings, shell: frShell, signOff: frSignOff, signOffSheet: frSignOffSheet, technicalFile: frTechnicalFile, traffic: frTraffic, value: frValue, webhooks: frWebhooks },
} satisfies Record<Locale, Record<string, unknown>>;

export type Messages = (typeof catalogues)["en"];

export function messagesFor(locale: Locale): Messages {
  return catalogues[locale] as Messages;
}
