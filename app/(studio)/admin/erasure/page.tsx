// Admin page: erase a data subject's rows.
import type { Metadata } from "next";
import { Suspense } from "react";
import { ErasurePanel } from "@/components/admin/erasure-panel";

export const metadata: Metadata = { title: "Erasure" };

export default function AdminErasurePage() {
  return (
    <>
      <h1>Erase a data subject</h1>
      <p>
        Give the column that holds a person&apos;s key and its value: the dry run counts their inference-log rows, feedback and labels, and lists the
        dataset versions that contain them; the erasure then removes the rows in one transaction.
      </p>
      <Suspense>
        <ErasurePanel />
      </Suspense>
    </>
  );
}
