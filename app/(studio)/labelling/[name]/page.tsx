// Labelling one model's queue, one item at a time, with the keyboard.
import type { Metadata } from "next";
import { LabellingWorkbench } from "@/components/labelling/labelling-workbench";
import { nameFromSegment } from "@/lib/url-segment";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  const { name } = await params;
  return { title: `Label ${nameFromSegment(name)}` };
}

export default async function LabellingWorkbenchRoute({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <MoreClientMessages namespaces={["labelling"]}>
      <LabellingWorkbench name={nameFromSegment(name)} />
    </MoreClientMessages>
  );
}
