// Acceptance reviews: request, evaluate in the background, comment, decide; the production gate reads them.
// CONTRACT STUB — implemented by the review-service work; signatures are fixed (the router and pages rely on them).
import type { ServiceContext } from "../service-context";
import { DomainError } from "../errors";
import type {
  AcceptanceCriteria,
  DecisionKind,
  ProductionGate,
  RequestReviewInput,
  ReviewDetail,
  ReviewFormDefaults,
  ReviewListFilter,
  ReviewSummary,
} from "./schema";

function notYet(): never {
  throw new DomainError("NOT_IMPLEMENTED", "Reviews are not implemented yet.");
}

export async function requestReview(_ctx: ServiceContext, _input: RequestReviewInput): Promise<{ id: number }> {
  notYet();
}

export async function getReview(_ctx: ServiceContext, _id: number): Promise<ReviewDetail> {
  notYet();
}

export async function listReviews(
  _ctx: ServiceContext,
  _input: { filter: ReviewListFilter; modelName?: string; modelVersion?: string },
): Promise<ReviewSummary[]> {
  notYet();
}

export async function reviewFormDefaults(
  _ctx: ServiceContext,
  _input: { modelName: string; modelVersion: string; datasetName?: string; datasetVersion?: number },
): Promise<ReviewFormDefaults> {
  notYet();
}

export async function addReviewComment(_ctx: ServiceContext, _input: { id: number; body: string }): Promise<void> {
  notYet();
}

export async function decideReview(_ctx: ServiceContext, _input: { id: number; decision: DecisionKind; comment: string }): Promise<void> {
  notYet();
}

export async function updateReviewCriteria(
  _ctx: ServiceContext,
  _input: { id: number; criteria: AcceptanceCriteria; requiredApprovals: number },
): Promise<void> {
  notYet();
}

/** Queues the evaluation again (after a failure, or a draft). */
export async function reevaluateReview(_ctx: ServiceContext, _input: { id: number }): Promise<void> {
  notYet();
}

export async function productionGate(_ctx: ServiceContext, _input: { name: string; version: string }): Promise<ProductionGate> {
  notYet();
}
