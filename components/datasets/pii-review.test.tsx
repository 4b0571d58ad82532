// The PII warning and badges rendered to HTML (no browser): every column listed with its finding and default masking, user text never as markup.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { PiiFindingOutput } from "@/server/datasets/schema";
import { initialMasking } from "./masking-choices";
import { NamedColumnMasking, PiiReview } from "./pii-review";
import { profileStatusText, QualityBadge } from "./quality-badge";

const ignore = () => undefined;
const findings: PiiFindingOutput[] = [
  { column: "email", kind: "email", matched: 1000, checked: 1000, share: 1 },
  { column: "card", kind: "card", matched: 40, checked: 50, share: 0.8 },
];
const header = ["email", "card", "age", "<img src=x onerror=alert(1)>"];

/** The option marked selected in the select labelled for a column. */
function selectedAction(html: string, column: string): string | undefined {
  const start = html.indexOf(`Masking for ${column}`);
  const select = html.slice(start, html.indexOf("</select>", start));
  return /<option value="(\w+)" selected="">/.exec(select)?.[1];
}

describe("PiiReview", () => {
  const html = renderToStaticMarkup(
    <PiiReview header={header} findings={findings} rowsScanned={1000} masking={initialMasking(header)} onChange={ignore} />,
  );
  it("warns with the number of flagged columns and the sample size", () => {
    expect(html).toContain("Personal data found in 2 columns");
    expect(html).toContain("Scanned the first 1,000 rows");
  });
  it("lists every header column with its finding in words", () => {
    expect(html).toContain("email — 100% of 1,000 sampled values look like e-mail addresses");
    expect(html).toContain("card — 80% of 50 sampled values look like payment card numbers");
    expect(html.split("nothing detected").length - 1).toBe(2);
  });
  it("leaves flagged columns undecided ('Choose…'), keeps the others, and offers generalise only where it means something", () => {
    expect(selectedAction(html, "email")).toBeUndefined();
    expect(selectedAction(html, "card")).toBeUndefined();
    expect(html).toContain("Choose…");
    expect(selectedAction(html, "age")).toBe("keep");
    const cardSelect = html.slice(html.indexOf("Masking for card"), html.indexOf("</select>", html.indexOf("Masking for card")));
    expect(cardSelect).not.toContain('value="generalise"');
    const emailSelect = html.slice(html.indexOf("Masking for email"), html.indexOf("</select>", html.indexOf("Masking for email")));
    expect(emailSelect).toContain('value="generalise"');
  });
  it("after a refused submit, marks each flagged column still without a decision", () => {
    const refused = renderToStaticMarkup(
      <PiiReview header={header} findings={findings} rowsScanned={1000} masking={{ email: { action: "keep" } }} onChange={ignore} showMissing />,
    );
    expect(refused.split("Choose what happens to this column").length - 1).toBe(1);
    expect(selectedAction(refused, "email")).toBe("keep");
  });
  it("fills in the previous version's decisions and says so", () => {
    const inherited = { version: 3, masking: { email: { action: "hash" as const } } };
    const next = renderToStaticMarkup(
      <PiiReview header={header} findings={findings} rowsScanned={10} masking={initialMasking(header, inherited.masking)} onChange={ignore} inherited={inherited} />,
    );
    expect(selectedAction(next, "email")).toBe("hash");
    expect(next).toContain("as in version 3");
    expect(next).toContain("Decisions of version 3 are filled in");
  });
  it("shows a column name as text, not markup", () => {
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
  it("asks for a band width only when generalising", () => {
    expect(html).not.toContain("Band width");
    const generalised = renderToStaticMarkup(
      <PiiReview header={["age"]} findings={[]} rowsScanned={3} masking={{ age: { action: "generalise", bandWidth: 10 } }} onChange={ignore} />,
    );
    expect(generalised).toContain("No personal data found");
    expect(generalised).toMatch(/Band width<\/label><input[^>]*value="10"/);
  });
});

describe("NamedColumnMasking", () => {
  it("lists the columns the server flagged in a refused upload, each to decide", () => {
    const html = renderToStaticMarkup(<NamedColumnMasking masking={{}} findings={[findings[1]!]} onChange={ignore} showMissing />);
    expect(html).toContain("card — 80% of 50 sampled values look like payment card numbers");
    expect(html).toContain("Choose what happens to this column");
  });
  it("says the server scans Parquet and offers to add columns", () => {
    const html = renderToStaticMarkup(<NamedColumnMasking masking={{ iban: { action: "hash" } }} onChange={ignore} />);
    expect(html).toContain("PII is scanned on the server; choose masking for named columns below");
    expect(html).toContain("Add column");
    expect(selectedAction(html, "iban")).toBe("hash");
  });
});

describe("quality and profile badges", () => {
  it("writes the failing reason out as text", () => {
    const html = renderToStaticMarkup(<QualityBadge status="failed" reason={"'age' between 18 and 100: 3 of 500 rows fail <b>"} />);
    expect(html).toContain("failed quality");
    expect(html).toContain("&#x27;age&#x27; between 18 and 100: 3 of 500 rows fail &lt;b&gt;");
  });
  it("gives profiling progress as a percentage", () => {
    expect(profileStatusText({ profileStatus: "running", profileProgress: 0.42, profileStage: "histograms" })).toBe("profiling 42% (histograms)");
    expect(profileStatusText({ profileStatus: "done", profileProgress: 1, profileStage: "" })).toBe("profiled");
  });
});
