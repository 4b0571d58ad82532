// The version page's profile and masking sections and the compare page's drift table rendered to HTML: labels, numbers, escaping.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ColumnDrift, DatasetProfileOutput } from "@/server/datasets/schema";
import { DriftTable } from "./compare-versions-view";
import { ProfileTable } from "./profile-table";
import { personalDataSummary, VersionMasking } from "./version-masking";

const ignore = () => undefined;

const profile: DatasetProfileOutput = {
  rowCount: 1500,
  columnCount: 2,
  profiledAt: "2026-01-01T00:00:00Z",
  engine: "duckdb",
  columns: [
    {
      name: "age",
      type: "integer",
      duckdbType: "BIGINT",
      missing: 15,
      missingShare: 0.01,
      distinct: 70,
      min: 18,
      max: 90,
      mean: 41.5,
      std: 12.25,
      quantiles: { p25: 30, p50: 40, p75: 52 },
      histogram: { edges: [18, 54, 90], counts: [1000, 485] },
      topValues: null,
    },
    {
      name: "<img src=x onerror=alert(1)>",
      type: "string",
      duckdbType: "VARCHAR",
      missing: 0,
      missingShare: 0,
      distinct: 2,
      min: null,
      max: null,
      mean: null,
      std: null,
      quantiles: null,
      histogram: null,
      topValues: [
        { value: "<script>x</script>", count: 900 },
        { value: null, count: 600 },
      ],
    },
  ],
};

describe("ProfileTable", () => {
  const html = renderToStaticMarkup(<ProfileTable profile={profile} jsonHref="/api/datasets/people/versions/2/profile" />);

  it("labels the table, counts rows and columns and links the JSON", () => {
    expect(html).toContain('aria-label="Column profile"');
    expect(html).toMatch(/1,500<\/strong> rows ×/);
    expect(html).toContain('href="/api/datasets/people/versions/2/profile"');
    expect(html).toContain("Profile as JSON");
  });

  it("shows missing share, quantiles and a summarised mini chart per column", () => {
    expect(html).toContain("1%");
    for (const q of ["30", "40", "52"]) expect(html).toContain(`>${q}</td>`);
    expect(html).toContain('aria-label="Histogram of age: 2 bins, 1,485 values; most between 18 – 54 (67%)"');
    expect(html).toMatch(/aria-label="Top values of &lt;img[^"]*; most common &lt;script&gt;x&lt;\/script&gt; \(60%\)"/);
  });

  it("never renders column names or values as HTML", () => {
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script>");
  });
});

describe("VersionMasking", () => {
  const html = renderToStaticMarkup(
    <VersionMasking
      detail={{
        columns: ["email", "age", "city"],
        maskingPolicy: { email: { action: "hash" }, age: { action: "generalise", bandWidth: 10 }, phone: { action: "drop" } },
        piiFindings: [
          { column: "email", kind: "email", matched: 97, checked: 100, share: 0.97 },
          { column: "phone", kind: "phone", matched: 50, checked: 100, share: 0.5 },
        ],
      }}
    />,
  );

  it("says the raw upload was never stored", () => {
    expect(html).toContain("The raw upload was streamed through the masker; only this masked result is stored.");
  });

  it("lists each column's applied masking, including columns dropped from the stored file", () => {
    expect(html).toContain('aria-label="Masking policy"');
    expect(html).toContain("<td>email</td><td>Salted hash</td>");
    expect(html).toContain("<td>age</td><td>Generalised (band 10)</td>");
    expect(html).toContain("<td>city</td><td>Keep</td>");
    expect(html).toContain("<td>phone</td><td>Dropped</td>");
  });

  it("says out loud which personal data was kept as it is, by decision", () => {
    const kept = renderToStaticMarkup(
      <VersionMasking
        detail={{
          columns: ["email", "city"],
          maskingPolicy: { email: { action: "keep" } },
          piiFindings: [{ column: "email", kind: "email", matched: 97, checked: 100, share: 0.97 }],
        }}
      />,
    );
    expect(kept).toContain("<td>email</td><td>Keep — stored as it is, by decision</td>");
    expect(kept).toContain("<td>city</td><td>Keep</td>");
    expect(personalDataSummary({ maskingPolicy: { email: { action: "keep" }, phone: { action: "hash" } }, piiFindings: [
      { column: "email", kind: "email", matched: 1, checked: 1, share: 1 },
      { column: "phone", kind: "phone", matched: 1, checked: 1, share: 1 },
    ] })).toBe("1 flagged column masked; kept as is by decision (keep): email");
    expect(personalDataSummary({ maskingPolicy: {}, piiFindings: [] })).toBe("none found by the scan");
  });

  it("lists findings by share, highest first", () => {
    expect(html).toContain("97%");
    expect(html.indexOf("E-mail address")).toBeLessThan(html.indexOf("Phone number"));
  });
});

describe("DriftTable", () => {
  const columns: ColumnDrift[] = [
    {
      column: "age",
      kind: "numeric",
      test: "ks",
      score: 0.001,
      threshold: 0.05,
      drifted: true,
      psi: 0.31,
      psiBand: "significant",
      bins: [
        { label: "18–54", reference: 0.7, current: 0.4 },
        { label: "54–90", reference: 0.3, current: 0.6 },
      ],
    },
    { column: "city", kind: "categorical", test: "jensen-shannon", score: 0.02, threshold: 0.1, drifted: false, psi: 0.01, psiBand: "stable", bins: [] },
  ];

  it("shows each column's test, verdict and PSI band, with distributions folded", () => {
    const html = renderToStaticMarkup(<DriftTable columns={columns} expanded={null} onExpand={ignore} />);
    expect(html).toContain('aria-label="Column drift"');
    expect(html).toContain("KS p-value");
    expect(html).toContain("drift if p &lt; 0.05");
    expect(html).toContain("Jensen–Shannon distance");
    expect(html).toContain("significant (≥ 0.25)");
    expect(html.split(">drifted<").length - 1).toBe(1);
    expect(html.split(">no drift<").length - 1).toBe(1);
    expect(html).not.toContain("Distributions of age");
  });

  it("opens the chosen column's bins with a table alternative", () => {
    const html = renderToStaticMarkup(<DriftTable columns={columns} expanded="age" onExpand={ignore} />);
    expect(html).toContain('aria-expanded="true"');
    expect(html).toContain('aria-label="Distributions of age"');
    expect(html).toContain("<td>18–54</td><td");
    expect(html).toContain("70%");
    expect(html).toContain("60%");
  });
});
