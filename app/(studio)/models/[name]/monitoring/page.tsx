// A model's production monitoring: drift per window against the reference data, latency, volume, live metrics, settings.
import type { Metadata } from "next";
import { Suspense } from "react";
import { MonitoringPage } from "@/components/monitoring/monitoring-page";

/** Next hands the segment over still percent-encoded in some cases; a malformed escape is left as typed. */
function modelNameFromSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Monitoring ${modelNameFromSegment(name)}` };
}

export default async function ModelMonitoringRoute({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  // useSearchParams (the window size) needs a Suspense boundary during prerendering.
  return (
    <Suspense fallback={<p role="status">Loading monitoring…</p>}>
      <MonitoringPage name={modelNameFromSegment(name)} />
    </Suspense>
  );
}
