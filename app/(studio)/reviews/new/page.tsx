// Request a review of a model version (?model=&version=, filled in by the version page's link).
import type { Metadata } from "next";
import { Suspense } from "react";
import { RequestReviewPage } from "@/components/review/request-review-form";

export const metadata: Metadata = { title: "Request a review" };

export default function NewReviewRoute() {
  return (
    <Suspense fallback={<p role="status">Loading the form…</p>}>
      <RequestReviewPage />
    </Suspense>
  );
}
