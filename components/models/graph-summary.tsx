// The ONNX graph of a version: producer, IR and opsets, inputs → outputs with types and shapes, operators by count as text bars.
import ui from "@/components/ui/ui.module.css";
import { formatBytes, formatCount } from "@/components/datasets/format-bytes";
import type { OnnxIntrospection } from "@/server/registry/onnx-introspection";
import { formatTensorShape, operatorBars } from "./model-format";
import styles from "./models.module.css";

export function GraphSummary({ introspection }: { introspection: OnnxIntrospection }) {
  const producer = [introspection.producerName, introspection.producerVersion].filter(Boolean).join(" ") || "not recorded";
  const bars = operatorBars(introspection.operators);
  return (
    <section aria-labelledby="graph-summary">
      <h2 id="graph-summary">ONNX graph</h2>
      <dl className={styles.facts}>
        <div>
          <dt>Producer</dt>
          <dd>{producer}</dd>
        </div>
        <div>
          <dt>IR version</dt>
          <dd>{introspection.irVersion}</dd>
        </div>
        <div>
          <dt>Opsets</dt>
          <dd>{introspection.opsetImports.map((opset) => `${opset.domain || "ai.onnx"} ${opset.version}`).join(", ") || "—"}</dd>
        </div>
        <div>
          <dt>Nodes</dt>
          <dd>{formatCount(introspection.nodeCount)}</dd>
        </div>
        <div>
          <dt>Initializers</dt>
          <dd>
            {formatCount(introspection.initializerCount)} ({formatBytes(introspection.initializerBytes)})
          </dd>
        </div>
        {introspection.graphName ? (
          <div>
            <dt>Graph name</dt>
            <dd>{introspection.graphName}</dd>
          </div>
        ) : null}
      </dl>
      <h3>Inputs and outputs</h3>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label="Inputs and outputs">
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Name</th>
              <th scope="col">Element type</th>
              <th scope="col">Shape</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {[
              ...introspection.inputs.map((value) => ({ role: "input", value })),
              ...introspection.outputs.map((value) => ({ role: "output", value })),
            ].map(({ role, value }) => (
              <tr key={`${role}:${value.name}`}>
                <td>{role === "input" ? "Input" : "→ Output"}</td>
                <td>
                  <code>{value.name}</code>
                </td>
                <td>{value.kind === "tensor" ? value.elementType : <span className={ui.muted}>{value.kind}</span>}</td>
                <td>{value.kind === "tensor" ? formatTensorShape(value.shape) : "—"}</td>
                <td>
                  <code className={styles.code}>{value.typeDescription}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Operators</h3>
      {bars.length ? (
        <div className={ui.tableWrap}>
          <table className={ui.table} aria-label="Operators">
            <thead>
              <tr>
                <th scope="col">Operator</th>
                <th scope="col" className={ui.num}>Count</th>
                <th scope="col" className={styles.barCell}>
                  <span className="visually-hidden">Share of the most used operator</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.label}>
                  <td>
                    <code>{bar.label}</code>
                  </td>
                  <td className={ui.num}>{bar.count}</td>
                  <td className={styles.barCell} aria-hidden="true">
                    <span className={styles.bar} style={{ width: `${bar.percentOfMax}%` }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className={ui.muted}>The graph has no operators.</p>
      )}
    </section>
  );
}
