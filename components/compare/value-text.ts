// How the compare views write a cell: metrics shortened like every metric in the studio, params and tags as logged.
import { formatMetricValue } from "@/components/ui/time-format";
import { parseColumnId } from "@/lib/compare-values";

export function valueText(columnId: string, text: string | null): string {
  if (text === null) return "—";
  if (parseColumnId(columnId)?.kind !== "metrics") return text;
  const value = Number(text);
  return Number.isFinite(value) ? formatMetricValue(value) : text;
}
