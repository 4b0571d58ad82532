// Reviews: acceptance reviews of model versions, filtered by what waits for whom, and the way to request one.
import type { Metadata } from "next";
import { Suspense } from "react";
import { ReviewsList } from "@/components/review/reviews-list";

export const metadata: Metadata = { title: "Reviews" };

export default function ReviewsPage() {
  return (
    <Suspense fallback={<p role="status">Loading reviews…</p>}>
      <ReviewsList />
    </Suspense>
  );
}
