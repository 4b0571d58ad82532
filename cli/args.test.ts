// Tests of the CLI's command-line parsing: commands, options, defaults from the environment, and usage errors.
import { describe, expect, it } from "vitest";
import { CliUsageError, parseCommandLine } from "./args";

const parse = (argv: string[], env: Record<string, string | undefined> = {}) => parseCommandLine(argv, env);

describe("parseCommandLine", () => {
  it("reads each command with its arguments and options", () => {
    expect(parse(["experiments", "list"])).toEqual({
      kind: "run",
      connection: { url: "http://localhost:3000" },
      command: { name: "experiments list", includeDeleted: false },
    });
    expect(parse(["experiments", "list", "--all"])).toMatchObject({ command: { includeDeleted: true } });
    expect(parse(["experiments", "create", "churn model"])).toMatchObject({ command: { name: "experiments create", experimentName: "churn model" } });
    expect(
      parse(["runs", "list", "Demo: iris", "--filter", "metrics.acc > 0.9", "--order-by", "metrics.acc DESC", "--order-by", "start_time", "--max", "7"]),
    ).toMatchObject({
      command: { name: "runs list", experiment: "Demo: iris", filter: "metrics.acc > 0.9", orderBy: ["metrics.acc DESC", "start_time"], max: 7 },
    });
    expect(parse(["runs", "list", "3"])).toMatchObject({ command: { orderBy: [], max: 50 } });
    expect(parse(["log-csv", "exp", "m.csv", "--run-name", "baseline", "--step-column", "epoch"])).toMatchObject({
      command: { name: "log-csv", experiment: "exp", file: "m.csv", runName: "baseline", stepColumn: "epoch" },
    });
    expect(parse(["log-csv", "exp", "m.csv"])).toEqual({
      kind: "run",
      connection: { url: "http://localhost:3000" },
      command: { name: "log-csv", experiment: "exp", file: "m.csv" },
    });
  });

  it("reads the dataset commands: search, upload with masking, band widths and metadata", () => {
    expect(parse(["datasets", "list"])).toMatchObject({ command: { name: "datasets list" } });
    expect(parse(["datasets", "list", "--search", " cust "])).toMatchObject({ command: { name: "datasets list", search: "cust" } });
    expect(
      parse([
        "datasets", "upload", "data/Customers.CSV", "--name", "customers",
        "--mask", "email=hash", "--mask", "first name=Redact", "--mask", "a=b=drop", "--band", "age=10", "--band", "income=2500.5",
        "--label", "churned", "--sensitive", "gender", "--sensitive", "age", "--sensitive", "gender",
        "--description", "CRM export", "--source", "crm", "--licence", "internal", "--note", "March", "--wait",
      ]),
    ).toEqual({
      kind: "run",
      connection: { url: "http://localhost:3000" },
      command: {
        name: "datasets upload",
        file: "data/Customers.CSV",
        datasetName: "customers",
        format: "csv",
        masking: {
          email: { action: "hash" },
          "first name": { action: "redact" },
          "a=b": { action: "drop" },
          age: { action: "generalise", bandWidth: 10 },
          income: { action: "generalise", bandWidth: 2500.5 },
        },
        labelColumn: "churned",
        sensitiveAttributes: ["gender", "age"],
        description: "CRM export",
        source: "crm",
        licence: "internal",
        note: "March",
        wait: true,
      },
    });
    expect(parse(["datasets", "upload", "t.parquet", "--name", "trips.2024", "--mask", "age=generalise", "--band", "age=5"])).toEqual({
      kind: "run",
      connection: { url: "http://localhost:3000" },
      command: {
        name: "datasets upload",
        file: "t.parquet",
        datasetName: "trips.2024",
        format: "parquet",
        masking: { age: { action: "generalise", bandWidth: 5 } },
        sensitiveAttributes: [],
        wait: false,
      },
    });
    expect(parse(["help", "datasets", "upload"])).toEqual({ kind: "help", topic: "datasets upload" });
    expect(parse(["datasets", "list", "-h"])).toEqual({ kind: "help", topic: "datasets list" });
  });

  it("takes the URL and token from options, then STUDIO_* and MLFLOW_TRACKING_TOKEN", () => {
    expect(parse(["experiments", "list"], { STUDIO_URL: "https://studio.example:8443/base", MLFLOW_TRACKING_TOKEN: "mlflow-tok" })).toMatchObject({
      connection: { url: "https://studio.example:8443/base", token: "mlflow-tok" },
    });
    expect(parse(["experiments", "list"], { STUDIO_TOKEN: "studio-tok", MLFLOW_TRACKING_TOKEN: "mlflow-tok" })).toMatchObject({
      connection: { token: "studio-tok" },
    });
    expect(parse(["--url", "http://10.0.0.5:3000", "experiments", "list", "--token=cli-tok"], { STUDIO_URL: "http://x", STUDIO_TOKEN: "t" })).toMatchObject({
      connection: { url: "http://10.0.0.5:3000", token: "cli-tok" },
    });
  });

  it("answers --help for the whole CLI and for each command", () => {
    expect(parse(["--help"])).toEqual({ kind: "help", topic: null });
    expect(parse(["-h"])).toEqual({ kind: "help", topic: null });
    expect(parse(["help"])).toEqual({ kind: "help", topic: null });
    expect(parse(["runs", "list", "--help"])).toEqual({ kind: "help", topic: "runs list" });
    expect(parse(["help", "log-csv"])).toEqual({ kind: "help", topic: "log-csv" });
    expect(parse(["experiments", "create", "-h"])).toEqual({ kind: "help", topic: "experiments create" });
  });

  it.each([
    [[], /Which command/],
    [["models", "list"], /Unknown command 'models list'/],
    [["experiments", "create"], /missing <name>/],
    [["experiments", "create", "a", "b"], /unexpected 'b'/],
    [["runs", "list"], /missing <experiment>/],
    [["log-csv", "exp"], /missing <file.csv>/],
    [["runs", "list", "e", "--max", "0"], /--max must be at least 1/],
    [["runs", "list", "e", "--max", "ten"], /--max must be a whole number/],
    [["runs", "list", "e", "--fliter", "x"], /Unknown option '--fliter'/],
    [["experiments", "list", "--filter", "x"], /--filter does not apply to 'experiments list'/],
    [["experiments", "list", "--url", "localhost:3000"], /--url must be an http/],
    [["runs", "list", "e", "--max"], /--max/],
    [["experiments", "create", "  "], /must not be empty/],
    [["datasets", "upload", "--name", "c"], /missing <file>/],
    [["datasets", "upload", "c.csv"], /needs --name <name>/],
    [["datasets", "upload", "c.csv", "--name", "my data"], /--name 'my data': Use letters, digits/],
    [["datasets", "upload", "c.txt", "--name", "c"], /'c.txt' must end in .csv or .parquet/],
    [["datasets", "upload", "csv", "--name", "c"], /must end in .csv or .parquet/],
    [["datasets", "upload", "c.csv", "--name", "c", "--mask", "email"], /--mask takes <column>=<value>, e.g. --mask email=hash/],
    [["datasets", "upload", "c.csv", "--name", "c", "--mask", "=hash"], /--mask takes <column>=<value>/],
    [["datasets", "upload", "c.csv", "--name", "c", "--mask", "email=encrypt"], /one of keep, drop, hash, redact, generalise/],
    [["datasets", "upload", "c.csv", "--name", "c", "--mask", "email=hash", "--mask", "email=drop"], /two actions/],
    [["datasets", "upload", "c.csv", "--name", "c", "--band", "age=0"], /width must be a positive number/],
    [["datasets", "upload", "c.csv", "--name", "c", "--band", "age=ten"], /width must be a positive number/],
    [["datasets", "upload", "c.csv", "--name", "c", "--mask", "age=hash", "--band", "age=10"], /only applies to generalised columns/],
    [["datasets", "upload", "c.csv", "--name", "c", "--sensitive", " "], /--sensitive must name a column/],
    [["datasets", "upload", "c.csv", "--name", "c", "--search", "x"], /--search does not apply to 'datasets upload'/],
    [["datasets", "list", "--wait"], /--wait does not apply to 'datasets list'/],
    [["datasets", "list", "extra"], /unexpected 'extra'/],
    [["datasets", "show"], /Unknown command 'datasets show'/],
  ])("refuses %j", (argv, message) => {
    expect(() => parse(argv as string[])).toThrow(CliUsageError);
    expect(() => parse(argv as string[])).toThrow(message);
  });
});
