// Deployments page: not built yet; it says what it will do and points to Experiments.
import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Deployments" };

export default function DeploymentsPage() {
  return (
    <NotBuiltYet
      title="Deployments"
      willDo="Promote an approved model version to production, serve it over HTTP (MLflow scoring and Open Inference Protocol), roll back, and watch drift and live metrics."
    />
  );
}
