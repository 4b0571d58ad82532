// Agreed labels out as a dataset version to retrain on: the items' logged inputs (model column order) plus the label
// column, registered through the dataset registry so its PII scan and masking policy apply like any upload.
import { Readable } from "node:stream";
import { and, asc, eq } from "drizzle-orm";
import { labellingItems } from "@/db/schema";
import { toCsv } from "@/lib/csv";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { invalidParameter, saidError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { getDatasetRoot } from "../datasets/dataset-store";
import { registerDatasetVersion } from "../datasets/register-version";
import { findRegisteredModel } from "../registry/model-versions";
import type { ServiceContext } from "../service-context";
import { zExportLabels, type ExportLabelsInput } from "./schema";

export async function exportLabelsAsDataset(
  ctx: ServiceContext,
  rawInput: ExportLabelsInput,
  options: { datasetRoot?: string } = {},
): Promise<{ dataset: string; version: number; rows: number; created: boolean }> {
  authorize(ctx.actor, "labelling.manage");
  authorize(ctx.actor, "datasets.write");
  const input = zExportLabels.parse(rawInput);
  const model = await findRegisteredModel(ctx.db, input.name);
  const items = await ctx.db
    .select({ inputs: labellingItems.inputs, label: labellingItems.agreedLabel })
    .from(labellingItems)
    .where(and(eq(labellingItems.modelId, model.modelId), eq(labellingItems.status, "agreed")))
    .orderBy(asc(labellingItems.rank));
  if (!items.length) {
    throw saidError("INVALID_STATE", `'${model.name}' has no agreed labels yet: label items in its queue first, then export.`, sentence("error.labelling.no_agreed_labels", { model: model.name }));
  }
  // Versions may differ in columns: every column any item has, in the order first met (the model's order).
  const columns: string[] = [];
  for (const item of items) for (const [column] of item.inputs) if (!columns.includes(column)) columns.push(column);
  if (columns.includes(input.labelColumn)) {
    throw invalidParameter(
      `The label column '${input.labelColumn}' is also a feature of the model: choose another name for it.`,
      sentence("error.labelling.label_column_is_feature", { column: input.labelColumn }),
    );
  }
  const rows = items.map((item) => {
    const byColumn = new Map(item.inputs);
    return [...columns.map((c) => byColumn.get(c) ?? null), item.label];
  });
  const csv = toCsv([...columns, input.labelColumn], rows);
  const registered = await registerDatasetVersion(
    ctx,
    options.datasetRoot ?? getDatasetRoot(),
    {
      name: input.datasetName,
      format: "csv",
      filename: `${model.name}-labels.csv`,
      note: input.note ?? `Agreed labels of ${model.name}'s labelling queue (${items.length} rows)`,
      labelColumn: input.labelColumn,
      masking: input.masking,
    },
    Readable.from([csv]),
  );
  await recordAudit(ctx.db, ctx.actor, {
    action: "labelling.export",
    targetType: "registered_model",
    targetId: model.name,
    after: { dataset: input.datasetName, version: registered.version.version, rows: items.length, created: registered.created },
  });
  return { dataset: input.datasetName, version: registered.version.version, rows: items.length, created: registered.created };
}
