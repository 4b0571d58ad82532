"use client";
// The compared runs' legend: a button per run that hides or shows its lines in the charts.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import { useRef } from "react";
import ui from "@/components/ui/ui.module.css";
import styles from "./compare-charts.module.css";
import type { RunLabel } from "./compare-view";
import { useElementWidth } from "./use-element-width";

/**
 * From this many runs the legend is windowed: its scroll box shows about five rows of buttons, so only the rows in
 * view (and a few either side) are in the page, each button a fixed width with the name cut to fit (its accessible
 * name stays whole). A thousand runs made 3,000 elements here. Screen readers hear each item's place in the whole
 * list (aria-setsize, aria-posinset).
 */
export const LEGEND_WINDOWED_FROM = 100;
/** A windowed legend's item width and row height, gap included (px). */
const ITEM_WIDTH = 184;
const ROW_HEIGHT = 30;
const ROW_GAP = 4;

interface LegendProps {
  labels: RunLabel[];
  hidden: string[];
  onChange: (hidden: string[]) => void;
}

export function RunLegend({ labels, hidden, onChange }: LegendProps) {
  const t = useTranslations("compareRuns");
  if (!labels.length) return null;
  return (
    <section aria-label={t("legend.label")}>
      <div className={styles.inline}>
        <h2 className={ui.panelTitle}>{t("legend.title")}</h2>
        {hidden.length ? (
          <button type="button" className={ui.secondary} onClick={() => onChange([])}>
            {t("legend.showAll")}
          </button>
        ) : null}
      </div>
      {labels.length >= LEGEND_WINDOWED_FROM ? (
        <WindowedLegend labels={labels} hidden={hidden} onChange={onChange} />
      ) : (
        <ul className={styles.legend}>
          {labels.map((label) => (
            <li key={label.runId}>
              <LegendButton label={label} hidden={hidden} onChange={onChange} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function LegendButton({ label, hidden, onChange, className }: { label: RunLabel; className?: string } & Omit<LegendProps, "labels">) {
  const t = useTranslations("compareRuns");
  const shown = !hidden.includes(label.runId);
  return (
    <button
      type="button"
      className={className ? `${styles.legendItem} ${className}` : styles.legendItem}
      aria-pressed={shown}
      title={shown ? t("legend.hide") : t("legend.show")}
      onClick={() => onChange(shown ? [...hidden, label.runId] : hidden.filter((id) => id !== label.runId))}
    >
      <span className={styles.swatch} style={{ background: label.color }} aria-hidden="true" />
      {className ? <span className={styles.legendName}>{label.name}</span> : label.name}
    </button>
  );
}

/** The legend's rows of buttons, windowed in its own scroll box; as many buttons a row as its width holds. */
function WindowedLegend({ labels, hidden, onChange }: LegendProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scroller, 1) ?? 1000;
  const perRow = Math.max(1, Math.floor(width / ITEM_WIDTH));
  const rowCount = Math.ceil(labels.length / perRow);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT + ROW_GAP,
    overscan: 3,
    initialRect: { width: 1000, height: 160 },
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows.length ? rows[0].index * perRow : 0;
  const end = rows.length ? Math.min(labels.length, (rows[rows.length - 1].index + 1) * perRow) : 0;
  const paddingTop = rows.length ? rows[0].start : 0;
  const paddingBottom = rows.length ? virtualizer.getTotalSize() - rows[rows.length - 1].end : 0;
  return (
    <div ref={scroller} className={styles.legendScroller} data-windowed-items={end - first}>
      <ul
        className={styles.legendGrid}
        style={{ gridTemplateColumns: `repeat(${perRow}, minmax(0, 1fr))`, gridAutoRows: ROW_HEIGHT, rowGap: ROW_GAP, paddingTop, paddingBottom: paddingBottom + ROW_GAP }}
      >
        {labels.slice(first, end).map((label, i) => (
          <li key={label.runId} aria-setsize={labels.length} aria-posinset={first + i + 1}>
            <LegendButton label={label} hidden={hidden} onChange={onChange} className={styles.legendItemFixed} />
          </li>
        ))}
      </ul>
    </div>
  );
}
