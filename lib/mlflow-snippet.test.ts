import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { mlflowQuickstartSnippet } from "./mlflow-snippet";

/** Runs the snippet's lines in a real shell, with `python` replaced by a function that prints its -c argument. */
function shellWords(snippet: string): { uri: string; program: string } {
  const script = `python() { printf '%s' "$2"; }\n${snippet.replace("<a token from API tokens>", "token")}\nprintf '\\n%s' "$MLFLOW_TRACKING_URI"`;
  const out = execFileSync("sh", ["-c", script], { encoding: "utf8" });
  const cut = out.lastIndexOf("\n");
  return { program: out.slice(0, cut), uri: out.slice(cut + 1) };
}

describe("mlflowQuickstartSnippet", () => {
  it("points at the address the studio was reached at, not a fixed port", () => {
    expect(shellWords(mlflowQuickstartSnippet("http://10.0.0.7:8080", "x")).uri).toBe("http://10.0.0.7:8080");
  });

  it("passes any experiment name through the shell to Python unchanged", () => {
    for (const name of ["plain", "it's \"quoted\"", "$HOME `id` \\n", "café 🚀", "a'; rm -rf / #"]) {
      const { program } = shellWords(mlflowQuickstartSnippet("http://localhost:3000", name));
      const literal = /mlflow\.set_experiment\((".*")\); mlflow\.start_run/.exec(program)?.[1];
      expect(literal).toBeDefined();
      expect(JSON.parse(literal!)).toBe(name);
    }
  });
});
