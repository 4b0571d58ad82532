// Every visible sentence of the review pages comes from the message catalogues: this test reads each
// components/review/*.tsx file's syntax tree and fails on JSX text, or a string literal shown as JSX text or as an
// accessible name (aria-label, title, placeholder, alt), that holds letters. Technical names that read the same in
// every language (metric abbreviations, program names) are allowed below.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const directory = path.join(process.cwd(), "components/review");
const allowed = new Set(["F1", "ROC AUC", "RMSE", "MAE", "R²", "onnxruntime-node", "Node.js"]);
const shownAttributes = new Set(["aria-label", "title", "placeholder", "alt"]);
const hasLetters = (text: string) => /\p{L}/u.test(text);

/** Each piece of untranslated text in a TSX source: line number and text. */
export function untranslatedText(fileName: string, source: string): { line: number; text: string }[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: { line: number; text: string }[] = [];
  const report = (node: ts.Node, text: string) => {
    const trimmed = text.replace(/\s+/g, " ").trim();
    if (hasLetters(trimmed) && !allowed.has(trimmed)) found.push({ line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: trimmed });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxExpression(node) && node.expression && node.parent && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      // {"Loading…"} or {cond ? "Yes" : "No"} as a child: literal text shown as is.
      const literals: ts.Node[] = [];
      const collect = (expression: ts.Node) => {
        if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) literals.push(expression);
        else if (ts.isTemplateExpression(expression)) literals.push(expression.head, ...expression.templateSpans.map((span) => span.literal));
        else if (ts.isConditionalExpression(expression)) {
          collect(expression.whenTrue);
          collect(expression.whenFalse);
        }
        else if (ts.isParenthesizedExpression(expression)) collect(expression.expression);
        else if (ts.isBinaryExpression(expression) && expression.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken) {
          collect(expression.left);
          collect(expression.right);
        }
      };
      collect(node.expression);
      for (const literal of literals) report(literal, (literal as ts.LiteralLikeNode).text);
    } else if (ts.isJsxAttribute(node) && shownAttributes.has(node.name.getText(file)) && node.initializer) {
      const value = node.initializer;
      if (ts.isStringLiteral(value)) report(value, value.text);
      else if (ts.isJsxExpression(value) && value.expression && (ts.isStringLiteral(value.expression) || ts.isNoSubstitutionTemplateLiteral(value.expression) || ts.isTemplateExpression(value.expression))) {
        report(value, value.expression.getText(file).replace(/\$\{[^}]*\}/g, " "));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("review pages", () => {
  it("find English left in JSX (the check itself)", () => {
    const sample = `export const A = () => <p title="Hint" aria-label={\`Row \${1}\`}>Hello {"there"} {ok ? "Yes" : t("no")} — {n}<b>F1</b></p>;`;
    expect(untranslatedText("sample.tsx", sample).map((entry) => entry.text)).toEqual(["Hint", "`Row `", "Hello", "there", "Yes"]);
  });

  it("show no sentence outside the message catalogues", () => {
    const files = readdirSync(directory).filter((name) => name.endsWith(".tsx") && !name.endsWith(".test.tsx"));
    expect(files.length).toBeGreaterThan(5);
    const left = files.flatMap((name) => untranslatedText(name, readFileSync(path.join(directory, name), "utf8")).map((entry) => `${name}:${entry.line}: ${entry.text}`));
    expect(left).toEqual([]);
  });
});
