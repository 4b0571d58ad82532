// The studio CLI's command line: which command, its arguments and options, checked with zod; and each command's help.
import { parseArgs } from "node:util";
import { z } from "zod";

export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly topic: CommandName | null = null,
  ) {
    super(message);
    this.name = "CliUsageError";
  }
}

export const commandNames = ["experiments list", "experiments create", "runs list", "log-csv"] as const;
export type CommandName = (typeof commandNames)[number];

export type Command =
  | { name: "experiments list"; includeDeleted: boolean }
  | { name: "experiments create"; experimentName: string }
  | { name: "runs list"; experiment: string; filter?: string; orderBy: string[]; max: number }
  | { name: "log-csv"; experiment: string; file: string; runName?: string; stepColumn?: string };

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
    if (!positionals.length) throw new CliUsageError("Which command? Give one of: experiments list, experiments create, runs list, log-csv.");
    throw new CliUsageError(`Unknown command '${positionals.slice(0, 2).join(" ")}'. Commands: experiments list, experiments create, runs list, log-csv.`);
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
    }
  })();
  return { kind: "run", connection: connection.data, command };
}
