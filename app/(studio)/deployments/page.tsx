// Deployments: what every alias of every model serves, promotion through the review gate, rollback and alias history.
import type { Metadata } from "next";
import { DeploymentsPage } from "@/components/deployments/deployments-page";
import { MoreClientMessages } from "@/components/i18n/client-messages";

export const metadata: Metadata = { title: "Deployments" };

export default function DeploymentsRoute() {
  return (
    <MoreClientMessages namespaces={["deployments", "monitoring", "traffic"]}>
      <DeploymentsPage />
    </MoreClientMessages>
  );
}
