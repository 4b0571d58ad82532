// The labeller's start page: every labelling queue, with how many items wait for the signed-in labeller.
import type { Metadata } from "next";
import { LabellingQueues } from "@/components/labelling/labelling-queues";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export const metadata: Metadata = { title: "Labelling" };

export default function LabellingRoute() {
  return (
    <MoreClientMessages namespaces={["labelling"]}>
      <LabellingQueues />
    </MoreClientMessages>
  );
}
