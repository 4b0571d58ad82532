// Admin page: Users.
import type { Metadata } from "next";
import { Suspense } from "react";
import { UsersPanel } from "@/components/admin/users-panel";

export const metadata: Metadata = { title: "Users" };

export default function AdminUsersPanelPage() {
  return (
    <>
      <h1>Users</h1>
      <p>Accounts of this studio and their roles.</p>
      <Suspense>
        <UsersPanel />
      </Suspense>
    </>
  );
}
