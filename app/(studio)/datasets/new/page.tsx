// Register a dataset, or (?dataset=<name>) a new version of one: upload with a PII review and masking before anything is stored.
import type { Metadata } from "next";
import { RegisterDatasetForm } from "@/components/datasets/register-dataset-form";

export const metadata: Metadata = { title: "Register a dataset" };

export default async function NewDatasetPage({ searchParams }: { searchParams: Promise<{ dataset?: string | string[] }> }) {
  const { dataset } = await searchParams;
  const existingName = (Array.isArray(dataset) ? dataset[0] : dataset)?.trim() || undefined;
  return <RegisterDatasetForm key={existingName ?? ""} existingName={existingName} />;
}
