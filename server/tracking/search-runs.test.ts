// runs/search on real data: MLflow's whole filter grammar, multi-key order_by and page tokens, on every backend.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { expectMlflowError } from "../testing/expect-mlflow-error";

type Api = ReturnType<typeof mlflowWire>;
interface WireRun {
  info: { run_id: string; run_name: string; start_time: number };
}


/** The runs logged for these tests: name → what is logged. Runs without a metric or param leave it out. */
const fixtures = [
  { name: "alpha", start: 1000, end: 5000, status: "FINISHED", acc: 0.91, loss: 0.3, lr: "0.01", model: "rf", team: "risk", dataset: ["iris", "training"] },
  { name: "beta", start: 2000, end: 9000, status: "FINISHED", acc: 0.85, loss: 0.4, lr: "0.1", model: "RF-large", team: "risk", dataset: ["wine", "training"] },
  { name: "gamma", start: 3000, status: "RUNNING", acc: 0.97, lr: "0.01", model: "xgb", team: "growth", dataset: ["iris", "eval"] },
  { name: "delta", start: 4000, end: 4500, status: "FAILED", loss: 0.9, model: "xgb" },
  { name: "epsilon", start: 5000, end: 6000, status: "FINISHED", acc: 0.85, loss: 0.2, lr: "0.001", team: "Risk" },
  { name: "zeta", start: 6000, status: "KILLED", acc: 0.5, lr: "1e-4", model: "linear", team: "growth" },
] as const;

type Fixture = (typeof fixtures)[number];

describe.each(testBackends)("runs/search on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  let experimentId: string;
  let otherExperimentId: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "search" })).body.experiment_id as string;
    otherExperimentId = (await api.post("experiments/create", { name: "search-other" })).body.experiment_id as string;
    for (const f of fixtures as readonly Fixture[]) {
      const created = await api.post("runs/create", { experiment_id: experimentId, run_name: f.name, start_time: f.start, user_id: "alice" });
      const id = (created.body.run as WireRun).info.run_id;
      ids.set(f.name, id);
      const metrics = [
        ...("acc" in f ? [{ key: "acc", value: f.acc, timestamp: f.start, step: 0 }] : []),
        ...("loss" in f ? [{ key: "loss", value: f.loss, timestamp: f.start, step: 0 }] : []),
      ];
      const params = [
        ...("lr" in f ? [{ key: "lr", value: f.lr }] : []),
        ...("model" in f ? [{ key: "model", value: f.model }] : []),
      ];
      const tags = "team" in f ? [{ key: "team", value: f.team }] : [];
      const logged = await api.post("runs/log-batch", { run_id: id, metrics, params, tags });
      expect(logged.status, logged.text).toBe(200);
      await api.post("runs/update", { run_id: id, status: f.status, ...("end" in f ? { end_time: f.end } : {}) });
      if ("dataset" in f) {
        await api.post("runs/log-inputs", {
          run_id: id,
          datasets: [
            {
              tags: [{ key: "mlflow.data.context", value: f.dataset[1] }],
              dataset: { name: f.dataset[0], digest: `${f.dataset[0]}-d1`, source_type: "local", source: "{}" },
            },
          ],
        });
      }
    }
    const other = await api.post("runs/create", { experiment_id: otherExperimentId, run_name: "elsewhere", start_time: 7000 });
    ids.set("elsewhere", (other.body.run as WireRun).info.run_id);
    await api.post("runs/log-metric", { run_id: ids.get("elsewhere"), key: "acc", value: 0.99, timestamp: 1 });
  });
  afterAll(async () => studio.close());

  async function search(body: Record<string, unknown>): Promise<string[]> {
    const res = await api.post("runs/search", { experiment_ids: [experimentId], ...body });
    expect(res.status, res.text).toBe(200);
    return ((res.body.runs ?? []) as WireRun[]).map((r) => r.info.run_name);
  }
  const names = async (filter: string) => (await search({ filter })).sort();

  it("returns every run of the experiments asked, newest first by default", async () => {
    expect(await search({})).toEqual(["zeta", "epsilon", "delta", "gamma", "beta", "alpha"]);
    const both = await api.post("runs/search", { experiment_ids: [experimentId, otherExperimentId], max_results: 2 });
    expect((both.body.runs as WireRun[]).map((r) => r.info.run_name)).toEqual(["elsewhere", "zeta"]);
  });

  it("filters on metrics with every numeric comparator", async () => {
    expect(await names("metrics.acc > 0.85")).toEqual(["alpha", "gamma"]);
    expect(await names("metrics.acc >= 0.85")).toEqual(["alpha", "beta", "epsilon", "gamma"]);
    expect(await names("metrics.acc < 0.85")).toEqual(["zeta"]);
    expect(await names("metrics.acc <= 0.85")).toEqual(["beta", "epsilon", "zeta"]);
    expect(await names("metrics.acc = 0.85")).toEqual(["beta", "epsilon"]);
    // A run without the metric matches no comparison, != included, as in MLflow.
    expect(await names("metrics.acc != 0.85")).toEqual(["alpha", "gamma", "zeta"]);
    expect(await names("metrics.`acc` > 0.9 and metrics.loss < 0.5")).toEqual(["alpha"]);
    expect(await names("metric.loss >= 0.9")).toEqual(["delta"]);
    expect(await names("metrics.acc > -1e3")).toEqual(["alpha", "beta", "epsilon", "gamma", "zeta"]);
  });

  it("filters on params and tags with =, !=, LIKE, ILIKE and IS NULL", async () => {
    expect(await names("params.lr = '0.01'")).toEqual(["alpha", "gamma"]);
    expect(await names("params.lr != '0.01'")).toEqual(["beta", "epsilon", "zeta"]);
    expect(await names("params.model LIKE 'RF%'")).toEqual(["beta"]);
    expect(await names("params.model ILIKE 'rf%'")).toEqual(["alpha", "beta"]);
    expect(await names("params.model LIKE '_gb'")).toEqual(["delta", "gamma"]);
    expect(await names("params.lr IS NULL")).toEqual(["delta"]);
    expect(await names("params.lr IS NOT NULL and params.model IS NULL")).toEqual(["epsilon"]);
    expect(await names("tags.team = 'risk'")).toEqual(["alpha", "beta"]);
    expect(await names("tags.team ILIKE 'risk'")).toEqual(["alpha", "beta", "epsilon"]);
    expect(await names("tags.team IS NULL")).toEqual(["delta"]);
    expect(await names(`tags."team" != "risk"`)).toEqual(["epsilon", "gamma", "zeta"]);
    expect(await names("tags.`mlflow.runName` = 'beta'")).toEqual(["beta"]);
    expect(await names("tags.mlflow.user = 'alice'")).toHaveLength(6);
    expect(await names("param.model = 'xgb' and tag.team = 'growth' and metrics.acc > 0.9")).toEqual(["gamma"]);
  });

  it("filters on attributes: run_id IN / NOT IN, run_name, status, times, user", async () => {
    const a = ids.get("alpha")!;
    const b = ids.get("beta")!;
    expect(await names(`attributes.run_id IN ('${a}', '${b}')`)).toEqual(["alpha", "beta"]);
    expect(await names(`run_id NOT IN ('${a}', '${b}')`)).toEqual(["delta", "epsilon", "gamma", "zeta"]);
    expect(await names(`attributes.run_id = '${a}'`)).toEqual(["alpha"]);
    expect(await names("attributes.run_name = 'gamma'")).toEqual(["gamma"]);
    expect(await names("run_name LIKE '%eta'")).toEqual(["beta", "zeta"]);
    expect(await names("attributes.`Run name` ILIKE 'ALP%'")).toEqual(["alpha"]);
    expect(await names("attributes.status = 'FINISHED'")).toEqual(["alpha", "beta", "epsilon"]);
    expect(await names("status != 'FINISHED'")).toEqual(["delta", "gamma", "zeta"]);
    expect(await names("attributes.start_time >= 4000")).toEqual(["delta", "epsilon", "zeta"]);
    expect(await names("attributes.start_time < 2000")).toEqual(["alpha"]);
    expect(await names("attributes.created = 3000")).toEqual(["gamma"]);
    expect(await names("attributes.end_time > 5000")).toEqual(["beta", "epsilon"]);
    expect(await names("attributes.end_time <= 5000")).toEqual(["alpha", "delta"]);
    expect(await names("attributes.user_id = 'alice'")).toHaveLength(6);
  });

  it("filters on datasets by name, digest and context", async () => {
    expect(await names("datasets.name = 'iris'")).toEqual(["alpha", "gamma"]);
    expect(await names("datasets.name IN ('iris', 'wine')")).toEqual(["alpha", "beta", "gamma"]);
    expect(await names("datasets.digest LIKE 'wine%'")).toEqual(["beta"]);
    expect(await names("datasets.context = 'training'")).toEqual(["alpha", "beta"]);
    expect(await names("datasets.name = 'iris' and datasets.context = 'eval'")).toEqual(["gamma"]);
  });

  it("orders by several keys; runs missing a metric or param sort last in both directions", async () => {
    expect(await search({ order_by: ["metrics.acc DESC", "attributes.start_time ASC"] })).toEqual([
      "gamma", "alpha", "beta", "epsilon", "zeta", "delta",
    ]);
    expect(await search({ order_by: ["metrics.acc ASC", "attributes.start_time DESC"] })).toEqual([
      "zeta", "epsilon", "beta", "alpha", "gamma", "delta",
    ]);
    expect(await search({ order_by: ["metrics.loss"] })).toEqual(["epsilon", "alpha", "beta", "delta", "zeta", "gamma"]);
    expect(await search({ order_by: ["params.model ASC", "attributes.run_name DESC"] })).toEqual([
      "beta", "zeta", "alpha", "gamma", "delta", "epsilon",
    ]);
    // Strings sort by code point on every backend (as MLflow's SQLite store does): "risk" > "growth" > "Risk".
    expect(await search({ order_by: ["tags.team DESC", "metrics.acc DESC"] })).toEqual([
      "alpha", "beta", "gamma", "zeta", "epsilon", "delta",
    ]);
    expect(await search({ order_by: ["attributes.end_time DESC"] })).toEqual(["beta", "epsilon", "alpha", "delta", "zeta", "gamma"]);
    expect(await search({ order_by: ["run_name"] })).toEqual(["alpha", "beta", "delta", "epsilon", "gamma", "zeta"]);
  });

  it("orders by a metric or param the filter requires exactly as by one it does not (ties by newest start)", async () => {
    expect(await search({ filter: "metrics.acc >= 0.5", order_by: ["metrics.acc DESC"] })).toEqual(["gamma", "alpha", "epsilon", "beta", "zeta"]);
    expect(await search({ filter: "metrics.acc >= 0.5", order_by: ["metrics.acc ASC"] })).toEqual(["zeta", "epsilon", "beta", "alpha", "gamma"]);
    expect(await search({ filter: "params.model != 'linear'", order_by: ["params.model DESC"] })).toEqual(["delta", "gamma", "alpha", "beta"]);
    // IS NULL requires nothing: the runs it keeps have no value to order by.
    expect(await search({ filter: "params.model IS NULL", order_by: ["params.model DESC"] })).toEqual(["epsilon"]);
  });

  it("pages through every result with page tokens, without duplicates or gaps", async () => {
    for (const order of [[], ["metrics.acc DESC"], ["params.lr ASC", "metrics.loss DESC"], ["attributes.status"]]) {
      const all = await search({ order_by: order });
      for (const size of [1, 2, 4]) {
        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const res = await api.get("runs/search", {
            experiment_ids: experimentId,
            max_results: String(size),
            ...(order.length ? { order_by: order } : {}),
            ...(token ? { page_token: token } : {}),
          });
          expect(res.status, res.text).toBe(200);
          seen.push(...((res.body.runs ?? []) as WireRun[]).map((r) => r.info.run_name));
          token = res.body.next_page_token as string | undefined;
          pages++;
        } while (token && pages < 20);
        expect(seen).toEqual(all);
      }
    }
  });

  it("returns runs with their latest metrics, params and tags", async () => {
    const res = await api.post("runs/search", { experiment_ids: [experimentId], filter: "attributes.run_name = 'alpha'" });
    const [run] = res.body.runs as { data: { metrics: { key: string; value: number }[]; params: unknown[]; tags: unknown[] } }[];
    expect(run.data.metrics.map((m) => m.key).sort()).toEqual(["acc", "loss"]);
    expect(run.data.params).toContainEqual({ key: "lr", value: "0.01" });
    expect(run.data.tags).toContainEqual({ key: "team", value: "risk" });
  });

  it("refuses bad filters, orders and tokens with INVALID_PARAMETER_VALUE naming the position", async () => {
    const bad = async (body: Record<string, unknown>, mentions: RegExp) =>
      expectMlflowError(await api.post("runs/search", { experiment_ids: [experimentId], ...body }), 400, "INVALID_PARAMETER_VALUE", mentions);
    await bad({ filter: "metrics.acc >> 0.9" }, /position 12/);
    await bad({ filter: "metrics.acc > 0.9 or params.lr = '1'" }, /position 18/);
    await bad({ filter: "params.lr = 0.01" }, /position 12/);
    await bad({ filter: "metrics.acc > '0.9'" }, /position 14/);
    await bad({ filter: "colour = 'red'" }, /position 0/);
    await bad({ filter: "params.lr = 'unclosed" }, /position 12/);
    await bad({ filter: "metrics.acc IS NULL" }, /position 12/);
    await bad({ filter: "status IN ('FINISHED')" }, /position 7/);
    await bad({ order_by: ["metrics.acc SIDEWAYS"] }, /position 12/);
    await bad({ order_by: ["datasets.name"] }, /dataset/);
    await bad({ page_token: "not-a-token" }, /page token/);
    await bad({ max_results: 0 }, /max_results/);
    await bad({ max_results: 50001 }, /max_results/);
    await bad({ run_view_type: "SOMETIMES" }, /run_view_type/);
    expectMlflowError(await api.post("runs/search", { experiment_ids: ["abc"] }), 400, "INVALID_PARAMETER_VALUE", /experiment_ids/);
    expectMlflowError(await api.post("runs/search", { experiment_ids: "1" }), 400, "INVALID_PARAMETER_VALUE", /experiment_ids/);
  });

  it("treats filter values as data, never as SQL", async () => {
    expect(await names("params.lr = '0.01'' or 1=1 --'")).toEqual([]);
    expect(await names("tags.`x'; drop table runs; --` = 'a'")).toEqual([]);
    expect(await search({})).toHaveLength(6);
  });
});
