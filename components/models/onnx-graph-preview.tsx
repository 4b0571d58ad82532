"use client";
// The ONNX graph of a model file, parsed on the server: inputs and outputs with types and shapes, operator counts,
// and the nodes in graph order, each with what it reads (data, weights, graph inputs) and writes.
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import type { OnnxGraphPreview as GraphPreview, OnnxGraphSource } from "@/server/registry/onnx-graph";
import { GraphSummary } from "./graph-summary";
import styles from "./models.module.css";

/** `withSummary`: also the inputs/outputs and operator tables (the version page shows those already). */
export function OnnxGraphPreview({ source, withSummary }: { source: OnnxGraphSource; withSummary: boolean }) {
  const trpc = useTRPC();
  const graph = useQuery(trpc.registry.onnxGraph.queryOptions(source, { staleTime: 5 * 60_000, retry: false }));
  if (graph.isPending) return <p role="status">Reading the ONNX graph…</p>;
  if (graph.error) return <QueryError error={graph.error} onRetry={() => void graph.refetch()} />;
  return (
    <>
      {withSummary ? <GraphSummary introspection={graph.data.introspection} /> : null}
      <GraphNodes graph={graph.data} />
    </>
  );
}

function GraphNodes({ graph }: { graph: GraphPreview }) {
  const id = useId();
  const weights = new Set(graph.weights);
  const graphInputs = new Set(graph.introspection.inputs.map((value) => value.name));
  const graphOutputs = new Set(graph.introspection.outputs.map((value) => value.name));
  const role = (name: string, side: "reads" | "writes") =>
    side === "reads" ? (graphInputs.has(name) ? "model input" : weights.has(name) ? "weight" : null) : graphOutputs.has(name) ? "model output" : null;
  const values = (names: readonly string[], side: "reads" | "writes") => (
    <ul className={styles.valueList}>
      {names.map((name, i) =>
        name === "" ? (
          <li key={i} className={ui.muted}>
            (omitted)
          </li>
        ) : (
          <li key={i}>
            <code>{name}</code>
            {role(name, side) ? <span className={ui.badge}>{role(name, side)}</span> : null}
          </li>
        ),
      )}
    </ul>
  );
  return (
    <section aria-labelledby={`${id}-nodes`}>
      <h3 id={`${id}-nodes`}>Graph nodes</h3>
      <p className={styles.hint}>
        {graph.nodes.length < graph.topLevelNodeCount
          ? `The first ${graph.nodes.length} of ${graph.topLevelNodeCount} nodes, in the order they run.`
          : `${graph.topLevelNodeCount} node${graph.topLevelNodeCount === 1 ? "" : "s"}, in the order they run: each reads what earlier ones wrote.`}
      </p>
      {/* Focusable: in the run page's narrow preview pane the list scrolls sideways, and keyboards must reach it. */}
      <div className={ui.tableWrap} tabIndex={0} role="region" aria-label="Graph nodes, scrollable">
        <table className={ui.table} aria-label="Graph nodes">
          <thead>
            <tr>
              <th scope="col" className={ui.num}>
                #
              </th>
              <th scope="col">Node</th>
              <th scope="col">Operator</th>
              <th scope="col">Reads</th>
              <th scope="col">Writes</th>
            </tr>
          </thead>
          <tbody>
            {graph.nodes.map((node, i) => (
              <tr key={i}>
                <td className={ui.num}>{i + 1}</td>
                <td>
                  <code>{node.name}</code>
                </td>
                <td>
                  <code>{node.opType}</code>
                  {node.domain !== "ai.onnx" ? <span className={ui.badge}>{node.domain}</span> : null}
                </td>
                <td>{values(node.inputs, "reads")}</td>
                <td>{values(node.outputs, "writes")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
