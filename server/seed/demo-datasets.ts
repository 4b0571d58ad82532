// Demo datasets: fixture files registered through the same upload path as users' files (masking included).
import { createReadStream } from "node:fs";
import path from "node:path";
import type { ServiceContext } from "../service-context";
import { addQualityRule } from "../datasets/registry";
import { registerDatasetVersion } from "../datasets/register-version";
import { enqueueDatasetProfile } from "../datasets/profile-jobs";
import type { QualityRuleInput, RegisterVersionMeta } from "../datasets/schema";

interface DemoDataset {
  file: string;
  meta: RegisterVersionMeta;
  rules: QualityRuleInput[];
}

export const demoDatasets: DemoDataset[] = [
  {
    file: "credit.csv",
    meta: {
      name: "credit-applications",
      format: "csv",
      filename: "credit.csv",
      description:
        "Synthetic credit applications (5,000 rows) → `approved`. A historical bias against women is planted on purpose: fairness checks must see it.",
      source: "Generated with a fixed seed (ModelOps Studio fixtures)",
      licence: "Free to use",
      labelColumn: "approved",
      sensitiveAttributes: ["sex"],
      masking: {},
    },
    rules: [
      { kind: "range", column: "age", min: 18, max: 100 },
      { kind: "allowed_values", column: "sex", values: ["F", "M"] },
      { kind: "not_null", column: "income" },
    ],
  },
  {
    file: "breast_cancer.train.csv",
    meta: {
      name: "breast-cancer",
      format: "csv",
      filename: "breast_cancer.train.csv",
      description: "Wisconsin diagnostic breast cancer, training split (426 rows, 30 features) → `malignant`. The demo's random-forest runs log it as their training input.",
      source: "UCI / scikit-learn",
      licence: "CC BY 4.0",
      labelColumn: "malignant",
      sensitiveAttributes: [],
      masking: {},
    },
    rules: [{ kind: "not_null", column: "malignant" }],
  },
  {
    file: "customers-with-pii.csv",
    meta: {
      name: "customers",
      format: "csv",
      filename: "customers-with-pii.csv",
      description: "Synthetic customers with personal data in every row; names, contacts and bank details are masked before storage.",
      source: "Generated with a fixed seed (ModelOps Studio fixtures); all identities are fake",
      licence: "Free to use",
      labelColumn: "churned",
      sensitiveAttributes: [],
      masking: {
        full_name: { action: "hash" },
        email: { action: "hash" },
        phone: { action: "redact" },
        iban: { action: "redact" },
        card_number: { action: "drop" },
        nir: { action: "drop" },
        last_login_ip: { action: "generalise" },
        age: { action: "generalise", bandWidth: 10 },
      },
    },
    rules: [
      { kind: "max_missing", column: "city", maxShare: 0.05 },
      { kind: "max_missing", column: "monthly_spend", maxShare: 0.2 },
    ],
  },
];

/** Held-out test splits, registered as a further version of a dataset above: what the demo's acceptance reviews evaluate on. */
export const demoTestSplits: { file: string; name: string; note: string }[] = [
  { file: "breast_cancer.test.csv", name: "breast-cancer", note: "Held-out test split (143 rows), never seen in training: evaluate models here." },
  { file: "credit.test.csv", name: "credit-applications", note: "Held-out test split (1,250 rows) of the same generator: evaluate models here." },
];

/**
 * Registers the demo datasets and their rules, then the test splits as their next version; profiling runs in the background like any upload.
 * Returns each fixture file's registry digest, which the demo runs log as their input (lineage).
 */
export async function seedDemoDatasets(ctx: ServiceContext, fixturesDir: string, datasetRoot: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const dataset of demoDatasets) {
    // Profiling waits until the rules are declared, so the first evaluation already applies them.
    const registered = await registerDatasetVersion(ctx, datasetRoot, dataset.meta, createReadStream(path.join(fixturesDir, "datasets", dataset.file)), {
      profileLater: true,
    });
    if (registered.created) {
      for (const rule of dataset.rules) await addQualityRule(ctx, dataset.meta.name, rule);
    }
    enqueueDatasetProfile(ctx.db, datasetRoot, registered.versionId);
    digests.set(dataset.file, registered.version.digest);
  }
  for (const split of demoTestSplits) {
    const dataset = demoDatasets.find((d) => d.meta.name === split.name)!;
    const registered = await registerDatasetVersion(
      ctx,
      datasetRoot,
      { ...dataset.meta, filename: split.file, note: split.note },
      createReadStream(path.join(fixturesDir, "datasets", split.file)),
    );
    digests.set(split.file, registered.version.digest);
  }
  return digests;
}
