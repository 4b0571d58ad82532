// The studio CLI's command line: which command, its arguments and options, checked with zod; and each command's help.
import { parseArgs } from "node:util";
import { z } from "zod";
import { zDatasetName, zMaskAction, type DatasetFormat, type MaskAction } from "@/server/datasets/schema";

export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly topic: CommandName | null = null,
  ) {
    super(message);
    this.name = "CliUsageError";
  }
}

export const commandNames = ["experiments list", "experiments create", "runs list", "log-csv", "datasets list", "datasets upload"] as const;
export type CommandName = (typeof commandNames)[number];

export type Command =
  | { name: "experiments list"; includeDeleted: boolean }
  | { name: "experiments create"; experimentName: string }
  | { name: "runs list"; experiment: string; filter?: string; orderBy: string[]; max: number }
  | { name: "log-csv"; experiment: string; file: string; runName?: string; stepColumn?: string }
  | { name: "datasets list"; search?: string }
  | {
      name: "datasets upload";
      file: string;
      datasetName: string;
      format: DatasetFormat;
      masking: Record<string, { action: MaskAction; bandWidth?: number }>;
      labelColumn?: string;
      sensitiveAttributes: string[];
      description?: string;
      source?: string;
      licence?: string;
      note?: string;
      wait: boolean;
    };

export interface Connection {
  url: string;
  token?: string;
}

export type ParsedCommandLine = { kind: "help"; topic: CommandName | null } | { kind: "run"; connection: Connection; command: Command };

const globalOptions = ["url", "token", "help"] as const;
const commandOptions: Record<CommandName, readonly string[]> = {
  "experiments list": ["all"],
  "experiments create": [],
  "runs list": ["filter", "order-by", "max"],
  "log-csv": ["run-name", "step-column"],
  "datasets list": ["search"],
  "datasets upload": ["name", "mask", "band", "label", "sensitive", "description", "source", "licence", "note", "wait"],
};

const optionSpec = {
  url: { type: "string" },
  token: { type: "string" },
  help: { type: "boolean", short: "h" },
  all: { type: "boolean" },
  filter: { type: "string" },
  "order-by": { type: "string", multiple: true },
  max: { type: "string" },
  "run-name": { type: "string" },
  "step-column": { type: "string" },
  search: { type: "string" },
  name: { type: "string" },
  mask: { type: "string", multiple: true },
  band: { type: "string", multiple: true },
  label: { type: "string" },
  sensitive: { type: "string", multiple: true },
  description: { type: "string" },
  source: { type: "string" },
  licence: { type: "string" },
  note: { type: "string" },
  wait: { type: "boolean" },
} as const;

const connectionHelp = `Connection (every command):
  --url <url>      the studio's address (default: $STUDIO_URL, else http://localhost:3000)
  --token <token>  an API token from the studio (default: $STUDIO_TOKEN, else $MLFLOW_TRACKING_TOKEN)`;

const usage = "npm run studio --";

export const helpTexts: Record<CommandName | "main", string> = {
  main: `Talk to a ModelOps Studio from the command line.

Usage: ${usage} <command> [options]

Commands:
  experiments list                    list experiments
  experiments create <name>           create an experiment
  runs list <experiment>              a table of an experiment's runs (filter, sort, limit)
  log-csv <experiment> <file.csv>     log each numeric column of a CSV as a metric over steps, in a new run
  datasets list                       a table of the registered datasets
  datasets upload <file> --name <n>   register a CSV or Parquet file as a dataset version (PII masked as you choose)

Run '${usage} <command> --help' for a command's options.

${connectionHelp}`,
  "experiments list": `Usage: ${usage} experiments list [--all]

Lists the studio's experiments (id, name, creation time).
  --all    include deleted experiments

${connectionHelp}`,
  "experiments create": `Usage: ${usage} experiments create <name>

Creates an experiment and prints its id. Fails if the name is taken.

${connectionHelp}`,
  "runs list": `Usage: ${usage} runs list <experiment> [--filter <expr>] [--order-by <clause>]... [--max <n>]

Prints a table of the runs of <experiment> (a name, or an id).
  --filter <expr>       MLflow search syntax, e.g. "metrics.val_accuracy > 0.9 and params.max_depth = '8'"
  --order-by <clause>   e.g. "metrics.val_accuracy DESC"; repeat for several keys (default: newest first)
  --max <n>             at most n runs (default 50)

${connectionHelp}`,
  "log-csv": `Usage: ${usage} log-csv <experiment> <file.csv> [--run-name <name>] [--step-column <column>]

Creates a run in <experiment> (created if missing) and logs every numeric column of the CSV as a
metric, one point per row. Columns with text in them are skipped with a warning; empty cells are
skipped. Points are sent in batches of at most 1000.
  --run-name <name>        the run's name (default: the file's name)
  --step-column <column>   the column holding each row's step (default: 'step' when present, else the row number from 0)

${connectionHelp}`,
  "datasets list": `Usage: ${usage} datasets list [--search <text>]

Prints a table of the registered datasets: name, number of versions, the latest version, its rows,
its quality status and when the dataset last changed.
  --search <text>   only datasets whose name or description contains <text>

${connectionHelp}`,
  "datasets upload": `Usage: ${usage} datasets upload <file> --name <name> [--mask <column>=<action>]... [--band <column>=<width>]...
       [--label <column>] [--sensitive <column>]... [--description <text>] [--source <text>] [--licence <text>]
       [--note <text>] [--wait]

Registers <file> (.csv or .parquet, streamed: any size) as a new version of dataset <name>, created if
missing. The version is the SHA-256 of the stored bytes: the same content twice is one version.
The studio scans the upload for personal data (e-mail, phone, IBAN, card, NIR, IP, names) and stores only
the masked result. Every column it flags needs a --mask decision ("keep" too, said explicitly): without one
the upload is refused (422) and the columns, what was found and the choices are printed. A new version of a
dataset starts from the previous version's decisions.
  --name <name>              the dataset (letters, digits, '.', '_', '-')
  --mask <column>=<action>   keep | drop | hash (salted per dataset) | redact | generalise; repeat per column
                             (generalise: e-mail → domain, IP → /24 network, phone → country code,
                             number → band, date → month; not offered for cards, IBANs, NIRs, names)
  --band <column>=<width>    generalise a numeric column into bands of <width> (implies --mask <column>=generalise)
  --label <column>           the label column (used by fairness checks)
  --sensitive <column>       a sensitive attribute (used by fairness checks); repeat for several
  --description, --source, --licence <text>   the dataset's description, where the data comes from, its licence
  --note <text>              a note on this version
  --wait                     wait until the version is profiled, then print its quality status; the exit
                             code is 1 when profiling or a quality rule failed

${connectionHelp}`,
};

const zNonEmpty = (what: string) => z.string().trim().min(1, `${what} must not be empty`);

const zConnection = z.object({
  url: z
    .string()
    .trim()
    .refine((value) => /^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value), "must be an http:// or https:// address, e.g. http://localhost:3000"),
  token: z.string().trim().min(1).optional(),
});

const zMax = z
  .string()
  .regex(/^\d+$/, "must be a whole number")
  .transform(Number)
  .pipe(z.number().int().min(1, "must be at least 1").max(50_000, "must be at most 50000"));

function commandOf(positionals: string[]): { name: CommandName; rest: string[] } | null {
  const [first, second, ...others] = positionals;
  if (first === "experiments" && (second === "list" || second === "create")) return { name: `experiments ${second}`, rest: others };
  if (first === "runs" && second === "list") return { name: "runs list", rest: others };
  if (first === "log-csv") return { name: "log-csv", rest: positionals.slice(1) };
  if (first === "datasets" && (second === "list" || second === "upload")) return { name: `datasets ${second}`, rest: others };
  return null;
}

function expectPositionals(name: CommandName, rest: string[], names: string[]): string[] {
  if (rest.length < names.length) {
    throw new CliUsageError(`'${name}' needs ${names.map((n) => `<${n}>`).join(" ")}; missing <${names[rest.length]}>.`, name);
  }
  if (rest.length > names.length) {
    throw new CliUsageError(`'${name}' takes ${names.length ? names.map((n) => `<${n}>`).join(" ") : "no arguments"}; unexpected '${rest[names.length]}' (quote values that contain spaces).`, name);
  }
  return rest;
}

function firstIssue(error: z.ZodError, option: string): string {
  const issue = error.issues[0];
  return `${issue.path.length ? `--${String(issue.path[0])}` : option} ${issue.message}`;
}

function readArgv(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    // Node's messages are good ("Unknown option '--fliter'"); drop its advice about '--', which does not apply here.
    const message = error instanceof Error ? error.message.split(". To specify")[0] : String(error);
    throw new CliUsageError(message);
  }
}

type OptionValues = ReturnType<typeof readArgv>["values"];

/** `column=value` with the column before the last '=' (column names may hold '=', actions and widths never do). */
function columnAssignment(option: string, text: string, example: string): [string, string] {
  const at = text.lastIndexOf("=");
  const column = at > 0 ? text.slice(0, at).trim() : "";
  if (!column || at === text.length - 1) throw new CliUsageError(`--${option} takes <column>=<value>, e.g. --${option} ${example} (got '${text}').`, "datasets upload");
  return [column, text.slice(at + 1).trim()];
}

function formatOf(file: string): DatasetFormat {
  const extension = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  if (extension === "csv" || extension === "parquet") return extension;
  throw new CliUsageError(`'${file}' must end in .csv or .parquet: the extension tells the studio how to read it.`, "datasets upload");
}

function readUpload(file: string, values: OptionValues): Extract<Command, { name: "datasets upload" }> {
  const topic = "datasets upload";
  if (values.name === undefined) throw new CliUsageError("'datasets upload' needs --name <name>: the dataset to add the version to.", topic);
  const datasetName = zDatasetName.safeParse(values.name);
  if (!datasetName.success) throw new CliUsageError(`--name '${values.name}': ${datasetName.error.issues[0].message}.`, topic);
  const format = formatOf(file);

  const masking: Record<string, { action: MaskAction; bandWidth?: number }> = {};
  for (const text of values.mask ?? []) {
    const [column, actionText] = columnAssignment("mask", text, "email=hash");
    const action = zMaskAction.safeParse(actionText.toLowerCase());
    if (!action.success) throw new CliUsageError(`--mask ${column}=${actionText}: the action must be one of ${zMaskAction.options.join(", ")}.`, topic);
    if (masking[column] && masking[column].action !== action.data) throw new CliUsageError(`--mask gives column '${column}' two actions.`, topic);
    masking[column] = { action: action.data };
  }
  for (const text of values.band ?? []) {
    const [column, widthText] = columnAssignment("band", text, "age=10");
    const width = Number(widthText);
    if (!/^\d*\.?\d+$/.test(widthText) || !(width > 0)) throw new CliUsageError(`--band ${column}=${widthText}: the width must be a positive number.`, topic);
    const action = masking[column]?.action ?? "generalise";
    if (action !== "generalise") throw new CliUsageError(`--band ${column}=… only applies to generalised columns, but --mask sets '${column}' to ${action}.`, topic);
    masking[column] = { action, bandWidth: width };
  }

  const text = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const sensitiveAttributes = [...new Set((values.sensitive ?? []).map((c) => c.trim()))];
  if (sensitiveAttributes.includes("")) throw new CliUsageError("--sensitive must name a column.", topic);
  if (values.label !== undefined && !values.label.trim()) throw new CliUsageError("--label must name a column.", topic);
  const optional = { labelColumn: text(values.label), description: text(values.description), source: text(values.source), licence: text(values.licence), note: text(values.note) };
  return {
    name: topic,
    file,
    datasetName: datasetName.data,
    format,
    masking,
    sensitiveAttributes,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    wait: values.wait ?? false,
  };
}

/** Reads argv (without `node script`) and the environment into a command, or a request for help. */
export function parseCommandLine(argv: string[], env: Record<string, string | undefined>): ParsedCommandLine {
  const { values, positionals, tokens } = readArgv(argv);
  if (positionals[0] === "help") {
    const topic = positionals.length > 1 ? commandOf(positionals.slice(1)) : null;
    return { kind: "help", topic: topic?.name ?? null };
  }
  const found = commandOf(positionals);
  if (!found) {
    if (values.help) return { kind: "help", topic: null };
    if (!positionals.length) throw new CliUsageError(`Which command? Give one of: ${commandNames.join(", ")}.`);
    throw new CliUsageError(`Unknown command '${positionals.slice(0, 2).join(" ")}'. Commands: ${commandNames.join(", ")}.`);
  }
  if (values.help) return { kind: "help", topic: found.name };

  const allowed = new Set<string>([...globalOptions, ...commandOptions[found.name]]);
  for (const token of tokens) {
    if (token.kind === "option" && !allowed.has(token.name)) {
      throw new CliUsageError(`Option --${token.name} does not apply to '${found.name}'.`, found.name);
    }
  }

  const connectionInput = { url: values.url ?? env.STUDIO_URL ?? "http://localhost:3000", token: values.token ?? env.STUDIO_TOKEN ?? env.MLFLOW_TRACKING_TOKEN };
  const connection = zConnection.safeParse({ ...connectionInput, token: connectionInput.token || undefined });
  if (!connection.success) throw new CliUsageError(`${firstIssue(connection.error, "--url")} (got '${connectionInput.url}').`, found.name);

  const command = ((): Command => {
    switch (found.name) {
      case "experiments list":
        expectPositionals(found.name, found.rest, []);
        return { name: found.name, includeDeleted: values.all ?? false };
      case "experiments create": {
        const [experimentName] = expectPositionals(found.name, found.rest, ["name"]);
        const checked = zNonEmpty("the experiment name").safeParse(experimentName);
        if (!checked.success) throw new CliUsageError(checked.error.issues[0].message, found.name);
        return { name: found.name, experimentName: checked.data };
      }
      case "runs list": {
        const [experiment] = expectPositionals(found.name, found.rest, ["experiment"]);
        const max = zMax.safeParse(values.max ?? "50");
        if (!max.success) throw new CliUsageError(`--max ${max.error.issues[0].message} (got '${values.max}').`, found.name);
        return {
          name: found.name,
          experiment,
          ...(values.filter?.trim() ? { filter: values.filter } : {}),
          orderBy: values["order-by"] ?? [],
          max: max.data,
        };
      }
      case "log-csv": {
        const [experiment, file] = expectPositionals(found.name, found.rest, ["experiment", "file.csv"]);
        const stepColumn = values["step-column"];
        if (stepColumn !== undefined && !stepColumn.trim()) throw new CliUsageError("--step-column must name a column.", found.name);
        return {
          name: found.name,
          experiment,
          file,
          ...(values["run-name"]?.trim() ? { runName: values["run-name"].trim() } : {}),
          ...(stepColumn ? { stepColumn } : {}),
        };
      }
      case "datasets list": {
        expectPositionals(found.name, found.rest, []);
        const search = values.search?.trim();
        return { name: found.name, ...(search ? { search } : {}) };
      }
      case "datasets upload": {
        const [file] = expectPositionals(found.name, found.rest, ["file"]);
        return readUpload(file, values);
      }
    }
  })();
  return { kind: "run", connection: connection.data, command };
}
