// Reads model outputs as predictions (label, class probabilities, values), compares two versions' outputs and lays out sweeps and batches.
import type { PlainOutputs } from "@/lib/ort-plain-tensors";

export interface RowPrediction {
  /** The predicted label, when the model has a label output. */
  label: number | string | null;
  /** One probability per class, when the model has a [N,C] probability output. */
  probabilities: number[] | null;
  /** Every output's values for this row, by output name (scalars, or a list for wide outputs). */
  values: Record<string, number | string | (number | string)[]>;
}

/** Which output is the label ([N] or [N,1] integer or text) and which the probabilities ([N,C] float, C ≥ 2). */
export function classifyOutputs(outputs: PlainOutputs): { label: string | null; probabilities: string | null } {
  let label: string | null = null;
  let probabilities: string | null = null;
  for (const [name, output] of Object.entries(outputs)) {
    const width = output.dims.length === 2 ? output.dims[1] : output.dims.length === 1 ? 1 : null;
    const integral = output.type === "string" || output.type.startsWith("int") || output.type.startsWith("uint");
    if (label === null && integral && width === 1) label = name;
    else if (probabilities === null && output.type.startsWith("float") && width !== null && width >= 2 && /prob|score|output/i.test(name)) probabilities = name;
  }
  // Unnamed probability outputs: the first wide float output.
  if (probabilities === null) {
    for (const [name, output] of Object.entries(outputs)) {
      if (output.type.startsWith("float") && output.dims.length === 2 && output.dims[1] >= 2) {
        probabilities = name;
        break;
      }
    }
  }
  return { label, probabilities };
}

export function rowCount(outputs: PlainOutputs): number {
  const first = Object.values(outputs)[0];
  return first ? (first.dims[0] ?? 1) : 0;
}

/** Per-row predictions of a batch of outputs. */
export function readPredictions(outputs: PlainOutputs): RowPrediction[] {
  const roles = classifyOutputs(outputs);
  const rows = rowCount(outputs);
  const predictions: RowPrediction[] = [];
  for (let row = 0; row < rows; row++) {
    const values: RowPrediction["values"] = {};
    for (const [name, output] of Object.entries(outputs)) {
      const width = output.dims.slice(1).reduce((a, b) => a * b, 1);
      const slice = output.data.slice(row * width, (row + 1) * width);
      values[name] = width === 1 ? slice[0] : slice;
    }
    const label = roles.label === null ? null : (values[roles.label] as number | string);
    const probabilities = roles.probabilities === null ? null : (values[roles.probabilities] as number[]);
    predictions.push({ label, probabilities, values });
  }
  return predictions;
}

export interface PredictionDifference {
  labelChanged: boolean;
  /** Challenger minus champion, per class. */
  probabilityDelta: number[] | null;
  /** Largest absolute change over the classes (or over numeric values for models without probabilities). */
  maxAbsDelta: number | null;
}

export function comparePredictions(champion: RowPrediction, challenger: RowPrediction): PredictionDifference {
  const labelChanged = champion.label !== challenger.label;
  if (champion.probabilities && challenger.probabilities && champion.probabilities.length === challenger.probabilities.length) {
    const delta = challenger.probabilities.map((p, i) => p - champion.probabilities![i]);
    return { labelChanged, probabilityDelta: delta, maxAbsDelta: Math.max(...delta.map(Math.abs)) };
  }
  const deltas: number[] = [];
  for (const [name, value] of Object.entries(champion.values)) {
    const other = challenger.values[name];
    if (typeof value === "number" && typeof other === "number") deltas.push(Math.abs(other - value));
  }
  return { labelChanged, probabilityDelta: null, maxAbsDelta: deltas.length ? Math.max(...deltas) : null };
}

/** n evenly spaced points from min to max, both included. */
export function sweepPoints(min: number, max: number, n: number): number[] {
  if (n < 2 || !(max > min)) return [min];
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? max : min + ((max - min) * i) / (n - 1)));
}

/** The range to sweep a feature over: its training range when profiled, else ±3×|value| around zero (±1 for a zero). */
export function sweepRange(field: { min: number | null; max: number | null }, current: number): { min: number; max: number } {
  if (field.min !== null && field.max !== null && field.max > field.min) return { min: field.min, max: field.max };
  const half = 3 * Math.abs(current) || 1;
  return { min: -half, max: half };
}

/** [start, end) ranges of at most `size` rows covering `total` rows. */
export function chunkRanges(total: number, size: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < total; start += size) ranges.push([start, Math.min(total, start + size)]);
  return ranges;
}

/** Column names for scored rows: the inputs, then the label, then one column per class probability or per output value. */
export function resultColumns(inputKeys: readonly string[], sample: RowPrediction | undefined): string[] {
  if (!sample) return [...inputKeys];
  const columns = [...inputKeys];
  if (sample.label !== null) columns.push("predicted_label");
  if (sample.probabilities) sample.probabilities.forEach((_, i) => columns.push(`probability_${i}`));
  if (sample.label === null && sample.probabilities === null) {
    for (const [name, value] of Object.entries(sample.values)) {
      if (Array.isArray(value)) value.forEach((_, i) => columns.push(`${name}_${i}`));
      else columns.push(name);
    }
  }
  return columns;
}

/**
 * A scored row's cells by column: the model's inputs as converted, plus the file's other columns (the label, an id)
 * as written, so a results file can be checked against its truth. An input of the same name wins.
 */
export function withFileColumns(
  inputs: Readonly<Record<string, unknown>>,
  record: Readonly<Record<string, string | undefined>>,
  fileColumns: readonly string[],
): Record<string, unknown> {
  const cells: Record<string, unknown> = {};
  for (const column of fileColumns) cells[column] = record[column] ?? null;
  return { ...cells, ...inputs };
}

export function resultRow(inputs: Readonly<Record<string, unknown>>, inputKeys: readonly string[], prediction: RowPrediction): (string | number | null)[] {
  const cells: (string | number | null)[] = inputKeys.map((key) => {
    const value = inputs[key];
    return typeof value === "number" || typeof value === "string" ? value : value == null ? null : String(value);
  });
  if (prediction.label !== null) cells.push(prediction.label);
  if (prediction.probabilities) cells.push(...prediction.probabilities);
  if (prediction.label === null && prediction.probabilities === null) {
    for (const value of Object.values(prediction.values)) {
      if (Array.isArray(value)) cells.push(...value);
      else cells.push(value);
    }
  }
  return cells;
}

/** An ORT error's operator, when it names one ("Could not find an implementation for ZipMap(1) node …"). */
export function operatorInError(message: string): string | null {
  const match =
    /implementation for (?:the )?([A-Za-z][\w.]*)\(\d+\)/.exec(message) ??
    /(?:operator|op(?:_type)?|node)[:\s]+['"]?([A-Z][\w.]*)['"]?/i.exec(message) ??
    /\b([A-Z][A-Za-z]+) is not (?:supported|implemented)/.exec(message);
  return match ? match[1] : null;
}

export function formatProbability(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** One prediction as the page shows it, in plain strings and numbers: what PredictionSummary draws, and what the
 * early-answer script (which runs before React) writes with textContent, so both show the same thing. */
export interface PredictionDisplay {
  label: string | null;
  /** One bar per class: its name, its probability as text, the bar's width in percent, and whether it is the best. */
  probabilities: { name: string; text: string; widthPercent: number; best: boolean }[] | null;
  /** Every output's value, shown only when the model has neither a label nor probabilities (a regressor). */
  values: { name: string; text: string }[];
}

function formatValue(value: number | string): string {
  return typeof value === "number" ? value.toPrecision(6) : value;
}

export function describePrediction(prediction: RowPrediction): PredictionDisplay {
  const probabilities = prediction.probabilities;
  const best = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
  return {
    label: prediction.label !== null ? String(prediction.label) : null,
    probabilities: probabilities
      ? probabilities.map((p, i) => ({ name: `class ${i}`, text: formatProbability(p), widthPercent: Math.max(0, Math.min(1, p)) * 100, best: i === best }))
      : null,
    values:
      prediction.label === null && probabilities === null
        ? Object.entries(prediction.values).map(([name, value]) => ({ name, text: Array.isArray(value) ? value.map(formatValue).join(", ") : formatValue(value) }))
        : [],
  };
}
