// The register form's pure choices: format detection, name suggestion, head trimming, default masking and the policy sent.
import { describe, expect, it } from "vitest";
import { zDatasetName, zMaskingPolicyInput, type PiiFindingOutput } from "@/server/datasets/schema";
import {
  datasetFormatFromFilename,
  choicesForColumn,
  describeFinding,
  dropPartialLastLine,
  generaliseHint,
  initialMasking,
  maskingPolicyToSend,
  suggestDatasetName,
  undecidedColumns,
} from "./masking-choices";

const finding = (column: string, kind: PiiFindingOutput["kind"], matched: number, checked: number): PiiFindingOutput => ({
  column,
  kind,
  matched,
  checked,
  share: checked ? matched / checked : 0,
});

describe("datasetFormatFromFilename", () => {
  it("reads the extension whatever its case", () => {
    expect(datasetFormatFromFilename("customers.csv")).toBe("csv");
    expect(datasetFormatFromFilename("CUSTOMERS.CSV")).toBe("csv");
    expect(datasetFormatFromFilename("part-0.parquet")).toBe("parquet");
  });
  it("refuses other files", () => {
    expect(datasetFormatFromFilename("book.xlsx")).toBeNull();
    expect(datasetFormatFromFilename("data.csv.gz")).toBeNull();
    expect(datasetFormatFromFilename("csv")).toBeNull();
  });
});

describe("suggestDatasetName", () => {
  it("gives names the server's schema accepts", () => {
    for (const filename of ["My data (2024).csv", "__clients.parquet", "été 2025.csv", "a.b_c-d.csv"]) {
      const name = suggestDatasetName(filename);
      expect(zDatasetName.safeParse(name).success, `${filename} → ${name}`).toBe(true);
    }
    expect(suggestDatasetName("My data (2024).csv")).toBe("My-data-2024");
  });
});

describe("dropPartialLastLine", () => {
  it("drops the row cut by the byte budget", () => {
    expect(dropPartialLastLine("a,b\n1,2\n3,", true)).toBe("a,b\n1,2\n");
  });
  it("keeps a file read whole", () => {
    expect(dropPartialLastLine("a,b\n1,2", false)).toBe("a,b\n1,2");
  });
  it("leaves nothing when not even the header line is complete", () => {
    expect(dropPartialLastLine("a,b,c", true)).toBe("");
  });
});

describe("decisions per flagged column", () => {
  const findings = [finding("email", "email", 10, 10), finding("card", "card", 3, 4)];

  it("decides nothing for the user: flagged columns start undecided unless the previous version decided them", () => {
    expect(initialMasking(["email", "card", "age"])).toEqual({});
    expect(undecidedColumns(initialMasking(["email", "card", "age"]), findings)).toEqual(["email", "card"]);
    const inherited = { email: { action: "hash" as const }, iban: { action: "drop" as const } };
    // The previous version's decisions for columns this file still has; a column it no longer has is not sent.
    expect(initialMasking(["email", "card", "age"], inherited)).toEqual({ email: { action: "hash" } });
    expect(undecidedColumns({ email: { action: "keep" }, card: { action: "drop" } }, findings)).toEqual([]);
  });

  it("offers generalise only where it means something, and says what it does", () => {
    expect(choicesForColumn([finding("card", "card", 3, 4)])).toEqual(["keep", "drop", "hash", "redact"]);
    expect(choicesForColumn([finding("email", "email", 3, 4)])).toContain("generalise");
    expect(undecidedColumns({ email: { action: "generalise" }, card: { action: "generalise" } }, findings)).toEqual(["card"]);
    expect(generaliseHint([finding("email", "email", 3, 4)])).toBe("values become the address's domain");
    expect(generaliseHint([finding("ip", "ip", 3, 4)])).toMatch(/network \(\/24 for IPv4/);
    expect(generaliseHint([])).toBe("numbers become bands this wide; dates become months");
  });
  it("describes a finding in words with the sample size", () => {
    expect(describeFinding(finding("mail", "email", 1000, 1000))).toBe("email — 100% of 1,000 sampled values look like e-mail addresses");
    expect(describeFinding(finding("first_name", "name", 0, 0))).toBe("name — the column header suggests personal names");
    expect(describeFinding(finding("last_name", "name", 800, 800))).toBe("name — the column header suggests personal names");
  });
});

describe("maskingPolicyToSend", () => {
  it("sends masked columns and kept PII columns, not plain kept ones", () => {
    const policy = maskingPolicyToSend(
      {
        email: { action: "keep" },
        age: { action: "generalise", bandWidth: 10 },
        city: { action: "keep" },
        phone: { action: "hash", bandWidth: 5 },
        " ": { action: "drop" },
      },
      [finding("email", "email", 5, 5)],
    );
    expect(policy).toEqual({ email: { action: "keep" }, age: { action: "generalise", bandWidth: 10 }, phone: { action: "hash" } });
    expect(zMaskingPolicyInput.safeParse(policy).success).toBe(true);
  });
});
