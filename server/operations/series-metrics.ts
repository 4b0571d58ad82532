// Counters and histograms for prom-client's registry whose label sets are found through nested maps, one level per
// label: prom-client builds and hashes a key string from a fresh labels object on every inc/observe, which cost the
// serving thread a few µs per request for its four label sets. A series is made once per label set (values in the
// order of labelNames); the registry renders these exactly as prom-client's own Counter and Histogram would.
import type { Metric, Registry } from "prom-client";

type LabelValue = string | number;

interface CounterSeries {
  labels: Record<string, string>;
  value: number;
}

interface HistogramSeries {
  labels: Record<string, string>;
  /** Observations per bucket (not cumulative), the last one past every bound (+Inf only). */
  buckets: Float64Array;
  sum: number;
  count: number;
}

/** The series of label sets under one map per label, made on first use. */
class SeriesTree<S> {
  private readonly root = new Map<LabelValue, unknown>();
  readonly all: S[] = [];

  constructor(
    private readonly labelNames: readonly string[],
    private readonly make: (labels: Record<string, string>) => S,
  ) {}

  of(values: readonly LabelValue[]): S {
    let node = this.root;
    const last = this.labelNames.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]!) as Map<LabelValue, unknown> | undefined;
      if (!next) node.set(values[i]!, (next = new Map()));
      node = next;
    }
    let series = node.get(values[last]!) as S | undefined;
    if (!series) {
      const labels: Record<string, string> = {};
      for (let i = 0; i <= last; i++) labels[this.labelNames[i]!] = String(values[i]);
      series = this.make(labels);
      node.set(values[last]!, series);
      this.all.push(series);
    }
    return series;
  }

  clear(): void {
    this.root.clear();
    this.all.length = 0;
  }
}

interface SeriesOptions {
  name: string;
  help: string;
  labelNames: readonly string[];
  registers: Registry[];
}

/** A counter with labels, as prom-client's Counter renders it. */
export class SeriesCounter {
  readonly type = "counter";
  readonly aggregator = "sum";
  readonly name: string;
  readonly help: string;
  private readonly series: SeriesTree<CounterSeries>;

  constructor(options: SeriesOptions) {
    this.name = options.name;
    this.help = options.help;
    this.series = new SeriesTree(options.labelNames, (labels) => ({ labels, value: 0 }));
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** Adds `by` (default 1) to the series of these label values, given in labelNames order. */
  inc(values: readonly LabelValue[], by = 1): void {
    if (!(by >= 0) || !Number.isFinite(by)) throw new TypeError(`A counter only goes up by a finite amount, not ${by}.`);
    this.series.of(values).value += by;
  }

  reset(): void {
    this.series.clear();
  }

  async get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.series.all.map((s) => ({ value: s.value, labels: s.labels })) };
  }
}

/** A histogram with labels, as prom-client's Histogram renders it. */
export class SeriesHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  readonly name: string;
  readonly help: string;
  private readonly upperBounds: readonly number[];
  private readonly series: SeriesTree<HistogramSeries>;

  constructor(options: SeriesOptions & { buckets: readonly number[] }) {
    this.name = options.name;
    this.help = options.help;
    this.upperBounds = [...options.buckets];
    this.series = new SeriesTree(options.labelNames, (labels) => ({ labels, buckets: new Float64Array(this.upperBounds.length + 1), sum: 0, count: 0 }));
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** Observes `value` in the series of these label values, given in labelNames order. */
  observe(values: readonly LabelValue[], value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const series = this.series.of(values);
    const bounds = this.upperBounds;
    let bucket = 0;
    // The first bound the value does not exceed, as prom-client finds it; past them all, only +Inf counts it.
    while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
    series.buckets[bucket]! += 1;
    series.sum += value;
    series.count += 1;
  }

  reset(): void {
    this.series.clear();
  }

  /** What prom-client's Histogram gives the registry to render: buckets (cumulative), +Inf, sum and count per series. */
  async getForPromString() {
    const bucketName = `${this.name}_bucket`;
    const values: { labels: Record<string, string | number>; sharedLabels: Record<string, string>; value: number; metricName: string; exemplar?: null }[] = [];
    for (const s of this.series.all) {
      let cumulative = 0;
      for (let b = 0; b < this.upperBounds.length; b++) {
        cumulative += s.buckets[b]!;
        values.push({ labels: { le: this.upperBounds[b]! }, sharedLabels: s.labels, value: cumulative, metricName: bucketName, exemplar: null });
      }
      values.push({ labels: { le: "+Inf" }, sharedLabels: s.labels, value: s.count, metricName: bucketName, exemplar: null });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** The JSON form (getMetricsAsJSON): each value's labels with its series' labels merged in, as prom-client does. */
  async get() {
    const data = await this.getForPromString();
    return { ...data, values: data.values.map(({ sharedLabels, labels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })) };
  }
}
