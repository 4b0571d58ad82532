// A model's production monitoring: drift per window against the reference data, latency, volume, live metrics, settings.
import type { Metadata } from "next";
import { Suspense } from "react";
import { MonitoringPage } from "@/components/monitoring/monitoring-page";
import { notFound } from "next/navigation";
import { pageExists } from "@/server/navigation/page-exists";
import { nameFromSegment } from "@/lib/url-segment";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Monitoring ${nameFromSegment(name)}` };
}

export default async function ModelMonitoringRoute({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  if (!(await pageExists({ kind: "model", name: nameFromSegment(name) }))) notFound();
  // useSearchParams (the window size) needs a Suspense boundary during prerendering.
  return (
    <MoreClientMessages namespaces={["monitoring", "value"]}>
      <Suspense fallback={<p role="status">Loading monitoring…</p>}>
        <MonitoringPage name={nameFromSegment(name)} />
      </Suspense>
    </MoreClientMessages>
  );
}
