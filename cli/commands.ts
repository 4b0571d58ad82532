// The studio CLI's commands run against a studio client, with their output and error messages; studio.ts only wires Node in.
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  createStudioClient,
  StudioApiError,
  StudioUnreachableError,
  type FetchFunction,
  type StudioClient,
} from "@/lib/studio-client";
import type { Experiment, Run } from "@/server/tracking/schema";
import { CliUsageError, helpTexts, parseCommandLine, type Command } from "./args";
import { csvToMetrics } from "./csv";
import { listDatasets, streamingUploadFetch, uploadDataset } from "./datasets";

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: Record<string, string | undefined>;
  /** Defaults to the global fetch; tests route requests in-process. */
  fetch?: FetchFunction;
  readText?(file: string): Promise<string>;
  now?(): number;
  /** Waits between polls of `datasets upload --wait`; tests pass one that returns at once. */
  sleep?(ms: number): Promise<void>;
}

/** Most metric columns shown in `runs list`: a terminal is only so wide. */
const MAX_METRIC_COLUMNS = 5;

/** A plain-text table with aligned columns; numbers are right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === "" || /^[-+]?[\d.]+(e[-+]?\d+)?$|^\d{1,3}(,\d{3})+$|^NaN$|^-?Infinity$/.test(r[i])));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function formatTime(ms: number | undefined): string {
  if (ms === undefined) return "";
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

function formatDuration(start: number, end: number | undefined): string {
  if (end === undefined) return "";
  const seconds = Math.max(0, Math.round((end - start) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

function formatMetric(value: number | undefined): string {
  if (value === undefined) return "";
  if (!Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}

async function resolveExperiment(client: StudioClient, nameOrId: string): Promise<Experiment> {
  const byName = await client.getExperimentByName(nameOrId);
  if (byName) return byName;
  if (/^\d+$/.test(nameOrId)) {
    try {
      return await client.getExperiment(nameOrId);
    } catch (error) {
      if (!(error instanceof StudioApiError && error.errorCode === "RESOURCE_DOES_NOT_EXIST")) throw error;
    }
  }
  throw new CliUsageError(`No experiment named '${nameOrId}'. See them with: npm run studio -- experiments list`);
}

/** Metric keys to show: those the runs are ordered by first, then the others alphabetically. */
function metricColumnsFor(runs: Run[], orderBy: string[]): { keys: string[]; hidden: number } {
  const all = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].sort();
  const ordered = orderBy
    .map((clause) => /^\s*metrics?\.(?:`([^`]+)`|"([^"]+)"|([\w./:\- ]+?))(?:\s+(?:ASC|DESC))?\s*$/i.exec(clause))
    .map((m) => (m ? (m[1] ?? m[2] ?? m[3]) : undefined))
    .filter((k): k is string => k !== undefined && all.includes(k));
  const keys = [...new Set([...ordered, ...all])];
  return { keys: keys.slice(0, MAX_METRIC_COLUMNS), hidden: Math.max(0, keys.length - MAX_METRIC_COLUMNS) };
}

async function listExperiments(client: StudioClient, command: Extract<Command, { name: "experiments list" }>, io: CliIo) {
  const rows: string[][] = [];
  for await (const e of client.iterateExperiments({ view_type: command.includeDeleted ? "ALL" : "ACTIVE_ONLY", order_by: ["experiment_id ASC"] })) {
    rows.push([e.experiment_id, e.name, ...(command.includeDeleted ? [e.lifecycle_stage] : []), formatTime(e.creation_time)]);
  }
  io.stdout(formatTable(["ID", "NAME", ...(command.includeDeleted ? ["STAGE"] : []), "CREATED (UTC)"], rows));
}

async function listRuns(client: StudioClient, command: Extract<Command, { name: "runs list" }>, io: CliIo) {
  const experiment = await resolveExperiment(client, command.experiment);
  const runs: Run[] = [];
  const search = {
    experiment_ids: [experiment.experiment_id],
    ...(command.filter ? { filter: command.filter } : {}),
    ...(command.orderBy.length ? { order_by: command.orderBy } : {}),
    max_results: Math.min(command.max, 1000),
  };
  for await (const run of client.iterateRuns(search)) {
    runs.push(run);
    if (runs.length >= command.max) break;
  }
  if (!runs.length) {
    io.stdout(`No runs in '${experiment.name}'${command.filter ? ` match ${command.filter}` : ""}.`);
    return;
  }
  const { keys, hidden } = metricColumnsFor(runs, command.orderBy);
  const rows = runs.map((run) => {
    const latest = new Map(run.data.metrics.map((m) => [m.key, m.value]));
    return [
      run.info.run_id,
      run.info.run_name,
      run.info.status,
      formatTime(run.info.start_time),
      formatDuration(run.info.start_time, run.info.end_time),
      ...keys.map((k) => formatMetric(latest.get(k))),
    ];
  });
  io.stdout(formatTable(["RUN ID", "NAME", "STATUS", "STARTED (UTC)", "DURATION", ...keys], rows));
  const notes = [`${runs.length} run${runs.length === 1 ? "" : "s"} of '${experiment.name}' (id ${experiment.experiment_id})`];
  if (runs.length >= command.max) notes.push(`stopped at --max ${command.max}`);
  if (hidden) notes.push(`${hidden} more metric${hidden === 1 ? "" : "s"} not shown`);
  io.stdout(notes.join("; ") + ".");
}

/** log-csv: a new run in the experiment (created if missing), each numeric column a metric over the steps. */
export async function logCsv(client: StudioClient, command: Extract<Command, { name: "log-csv" }>, io: CliIo): Promise<{ runId: string; points: number }> {
  const read = io.readText ?? ((file: string) => readFile(file, "utf8"));
  let text: string;
  try {
    text = await read(command.file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliUsageError(`Cannot read '${command.file}'${code === "ENOENT" ? ": no such file" : `: ${error instanceof Error ? error.message : String(error)}`}.`, "log-csv");
  }
  const now = io.now?.() ?? Date.now();
  const metrics = csvToMetrics(text, { ...(command.stepColumn ? { stepColumn: command.stepColumn } : {}), timestamp: now });
  for (const { column, reason } of metrics.skipped) io.stderr(`warning: column '${column}' is not logged: ${reason}`);
  if (!metrics.metricColumns.length) {
    throw new CliUsageError(`'${command.file}' has no numeric column to log as a metric.`, "log-csv");
  }

  const experiment = await client.getOrCreateExperiment(command.experiment);
  const runName = command.runName ?? path.basename(command.file).replace(/\.csv$/i, "");
  const run = await client.createRun({
    experiment_id: experiment.experiment_id,
    run_name: runName,
    start_time: now,
    tags: [
      { key: "mlflow.source.name", value: path.basename(command.file) },
      { key: "mlflow.source.type", value: "LOCAL" },
    ],
  });
  const runId = run.info.run_id;
  try {
    // The client splits this into requests of at most 1000 points (MLflow's log-batch limit).
    await client.logBatch(runId, { metrics: metrics.points });
    await client.finishRun(runId, "FINISHED");
  } catch (error) {
    await client.finishRun(runId, "FAILED").catch(() => undefined);
    throw error;
  }
  const steps = metrics.stepColumn ? `steps from column '${metrics.stepColumn}'` : "steps = row numbers";
  io.stdout(
    `Logged ${metrics.points.length} points of ${metrics.metricColumns.length} metric${metrics.metricColumns.length === 1 ? "" : "s"} ` +
      `(${metrics.metricColumns.join(", ")}) from ${metrics.rows} rows, ${steps}.`,
  );
  io.stdout(`Run ${runId} ('${runName}') in experiment '${experiment.name}' (id ${experiment.experiment_id}).`);
  return { runId, points: metrics.points.length };
}

function describeFailure(error: unknown, url: string): string {
  if (error instanceof StudioUnreachableError) {
    return [
      `error: ${error.message}.`,
      "Is the studio running? Start it in the studio's folder with 'npm start' (or 'npm run dev' while developing),",
      `or point the CLI at another address with --url or STUDIO_URL (now: ${url}).`,
    ].join("\n");
  }
  if (error instanceof StudioApiError) {
    const base = `error: the studio at ${url} answered ${error.status} ${error.errorCode}: ${error.message}`;
    if (error.status === 401) return `${base}\nCreate an API token in the studio, then pass --token or set STUDIO_TOKEN (or MLFLOW_TRACKING_TOKEN).`;
    if (error.status === 403) return `${base}\nYour account's role does not allow this; ask an admin.`;
    if (error.errorCode.startsWith("HTTP_")) return `${base}\nIs ${url} really a ModelOps Studio?`;
    return base;
  }
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Runs one command line; returns the process exit code (0 ok, 1 failed, 2 bad usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, io.env);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`error: ${error.message}`);
      io.stderr(`Run 'npm run studio -- ${error.topic ? `${error.topic} ` : ""}--help' for usage.`);
      return 2;
    }
    throw error;
  }
  if (parsed.kind === "help") {
    io.stdout(helpTexts[parsed.topic ?? "main"]);
    return 0;
  }
  const { connection, command } = parsed;
  const client = createStudioClient({ baseUrl: connection.url, ...(connection.token ? { token: connection.token } : {}), fetch: io.fetch ?? streamingUploadFetch });
  try {
    switch (command.name) {
      case "experiments list":
        await listExperiments(client, command, io);
        break;
      case "experiments create": {
        const id = await client.createExperiment(command.experimentName);
        io.stdout(`Created experiment '${command.experimentName}' with id ${id}.`);
        break;
      }
      case "runs list":
        await listRuns(client, command, io);
        break;
      case "log-csv":
        await logCsv(client, command, io);
        break;
      case "datasets list":
        await listDatasets(client, command, io);
        break;
      case "datasets upload":
        return await uploadDataset(client, command, io);
    }
    return 0;
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`error: ${error.message}`);
      return 2;
    }
    io.stderr(describeFailure(error, client.baseUrl));
    return 1;
  }
}
