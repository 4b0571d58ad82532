// Regression metrics (RMSE, MAE, R², residuals) computed as scikit-learn 1.2 does, for the review evaluation of regressors.

function checkRegression(truths: number[], predictions: number[]): void {
  if (truths.length === 0) throw new Error("There are no rows to evaluate; give at least one labelled row.");
  if (truths.length !== predictions.length) {
    throw new Error(`There are ${truths.length} true values but ${predictions.length} predictions; give one prediction per row.`);
  }
  truths.forEach((truth, index) => {
    if (!Number.isFinite(truth) || !Number.isFinite(predictions[index])) {
      throw new Error(`Row ${index} has a non-finite true value or prediction; drop rows with a missing label before evaluating.`);
    }
  });
}

/** truth − prediction for each row (positive: the model predicted too low), the sign scikit-learn's PredictionErrorDisplay uses. */
export function residuals(truths: number[], predictions: number[]): number[] {
  checkRegression(truths, predictions);
  return truths.map((truth, index) => truth - predictions[index]);
}

/** Root mean squared error: √(mean((y − ŷ)²)), scikit-learn's mean_squared_error(squared=False). */
export function rmse(truths: number[], predictions: number[]): number {
  const errors = residuals(truths, predictions);
  return Math.sqrt(errors.reduce((sum, error) => sum + error * error, 0) / errors.length);
}

/** Mean absolute error: mean(|y − ŷ|). */
export function mae(truths: number[], predictions: number[]): number {
  const errors = residuals(truths, predictions);
  return errors.reduce((sum, error) => sum + Math.abs(error), 0) / errors.length;
}

/**
 * Coefficient of determination 1 − SS_res / SS_tot, as scikit-learn's r2_score. When every true value is
 * the same (SS_tot = 0) it returns 1 for a perfect prediction and 0 otherwise, as scikit-learn does
 * (force_finite=True) instead of dividing by zero.
 */
export function r2(truths: number[], predictions: number[]): number {
  const errors = residuals(truths, predictions);
  const mean = truths.reduce((sum, truth) => sum + truth, 0) / truths.length;
  const residualSquares = errors.reduce((sum, error) => sum + error * error, 0);
  const totalSquares = truths.reduce((sum, truth) => sum + (truth - mean) ** 2, 0);
  if (totalSquares === 0) return residualSquares === 0 ? 1 : 0;
  return 1 - residualSquares / totalSquares;
}
