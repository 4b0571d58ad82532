// Datasets page: not built yet; it says what it will do and points to Experiments.
import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Datasets" };

export default function DatasetsPage() {
  return (
    <NotBuiltYet
      title="Datasets"
      willDo="Upload a CSV or Parquet file or register one by API: the studio versions it by content hash, profiles every column, runs quality rules and finds personal data to mask before it is stored."
    />
  );
}
