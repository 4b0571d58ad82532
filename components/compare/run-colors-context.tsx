"use client";
// The colours of one comparison's runs, shared by its charts, legend, scatter plot and parallel coordinates so that
// a run has one colour on the page and no two of up to twelve runs share one (lib/run-colors distinctRunColors).
import { createContext, useCallback, useContext, type ReactNode } from "react";
import { runColor } from "@/lib/run-colors";

const RunColorsContext = createContext<ReadonlyMap<string, string> | null>(null);

export function RunColorsProvider({ colors, children }: { colors: ReadonlyMap<string, string>; children: ReactNode }) {
  return <RunColorsContext.Provider value={colors}>{children}</RunColorsContext.Provider>;
}

/** A run's colour in this comparison; outside one (or for a run it does not list), the run's own hash colour. */
export function useRunColors(): (runId: string) => string {
  const colors = useContext(RunColorsContext);
  // Stable while the comparison's runs are: charts memoise on it.
  return useCallback((runId: string) => colors?.get(runId) ?? runColor(runId), [colors]);
}
