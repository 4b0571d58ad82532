// Datasets: the registry's list with search, each dataset's latest version, and the way to register one.
import type { Metadata } from "next";
import { Suspense } from "react";
import { DatasetsList } from "@/components/datasets/datasets-list";

export const metadata: Metadata = { title: "Datasets" };

export default function DatasetsPage() {
  return (
    <Suspense fallback={<p role="status">Loading datasets…</p>}>
      <DatasetsList />
    </Suspense>
  );
}
