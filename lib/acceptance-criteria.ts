// Acceptance criteria against an evaluation report: each criterion pass/fail with its sentence.
// CONTRACT STUB — implemented by the evaluator work.
import type { AcceptanceCriteria, CriterionResult, EvaluationReport } from "@/server/review/schema";

export function evaluateCriteria(_report: EvaluationReport, _criteria: AcceptanceCriteria): CriterionResult[] {
  throw new Error("not implemented");
}
