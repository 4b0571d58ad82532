// Admin page: Audit log.
import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditPanel } from "@/components/admin/audit-panel";

export const metadata: Metadata = { title: "Audit log" };

export default function AdminAuditPanelPage() {
  return (
    <>
      <h1>Audit log</h1>
      <p>Every change in the studio: who, what, when, and before/after. Entries cannot be edited or deleted.</p>
      <Suspense>
        <AuditPanel />
      </Suspense>
    </>
  );
}
