// Reviews page: not built yet; it says what it will do and points to Experiments.
import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Reviews" };

export default function ReviewsPage() {
  return (
    <NotBuiltYet
      title="Reviews"
      willDo="Request an acceptance review of a model version against an evaluation dataset: the studio evaluates accuracy, fairness, robustness and edge cases, and reviewers approve or reject it."
    />
  );
}
