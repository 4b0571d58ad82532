// Admin page: every user's API tokens, to revoke a leaked or forgotten one.
import type { Metadata } from "next";
import { AllTokensPanel } from "@/components/admin/all-tokens-panel";

export const metadata: Metadata = { title: "All API tokens" };

export default function AdminTokensPage() {
  return (
    <>
      <h1>All API tokens</h1>
      <p>Every user&apos;s personal access tokens. Revoking one stops it at once, in every studio and serving process, and is written to the audit log.</p>
      <AllTokensPanel />
    </>
  );
}
