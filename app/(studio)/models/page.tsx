// Models: the registry's list with search, each model's latest version, aliases and stages, and how to register one.
import type { Metadata } from "next";
import { Suspense } from "react";
import { ModelsList } from "@/components/models/models-list";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <MoreClientMessages namespaces={["monitoring"]}>
      <Suspense fallback={<p role="status">Loading models…</p>}>
        <ModelsList />
      </Suspense>
    </MoreClientMessages>
  );
}
