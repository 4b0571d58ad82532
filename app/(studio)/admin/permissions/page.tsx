// Admin page: Permissions.
import type { Metadata } from "next";
import { Suspense } from "react";
import { PermissionsTable } from "@/components/admin/permissions-table";

export const metadata: Metadata = { title: "Permissions" };

export default function AdminPermissionsTablePage() {
  return (
    <>
      <h1>Permissions</h1>
      <p>Which role may do what.</p>
      <Suspense>
        <PermissionsTable />
      </Suspense>
    </>
  );
}
