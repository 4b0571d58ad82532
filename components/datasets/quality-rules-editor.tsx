"use client";
// A dataset's quality rules in words, deleted or added by writers; rules run on every new version.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import type { QualityRuleOutput } from "@/server/datasets/schema";
import styles from "./datasets.module.css";
import { describeRule, emptyRuleDraft, ruleFromDraft, ruleKindLabels, type RuleDraft, type RuleKind } from "./quality-rule-text";

export function QualityRulesEditor({
  name,
  rules,
  columns,
  canWrite,
}: {
  name: string;
  rules: QualityRuleOutput[];
  /** The latest version's columns, offered as choices; a rule may still name another column. */
  columns: string[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const titleId = useId();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.datasets.get.queryKey({ name }) });
  const remove = useMutation(trpc.datasets.deleteRule.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <section className={ui.panel} aria-labelledby={titleId}>
      <h2 id={titleId} className={ui.panelTitle}>
        Quality rules
      </h2>
      {rules.length ? (
        <div className={`${ui.tableWrap} ${styles.rulesTable}`}>
          <table className={ui.table} aria-label="Quality rules">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Added</th>
                {canWrite ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rules.map((rule) => (
                <tr key={rule.ruleId}>
                  <td className={ui.wrap}>{describeRule(rule)}</td>
                  <td title={formatTimestamp(rule.createdAt)}>by {rule.createdBy}</td>
                  {canWrite ? (
                    <td>
                      <button
                        type="button"
                        className={ui.danger}
                        disabled={remove.isPending}
                        onClick={() => remove.mutate({ name, ruleId: rule.ruleId })}
                      >
                        Delete<span className="visually-hidden"> rule {describeRule(rule)}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className={ui.muted}>
          No quality rules yet.{" "}
          {canWrite ? "Add one below: versions registered afterwards pass or fail on it." : "An editor can declare rules that every new version must pass."}
        </p>
      )}
      {remove.error ? (
        <p className={ui.error} role="alert">
          Could not delete the rule: {remove.error.message} Reload the page and try again.
        </p>
      ) : null}
      {canWrite ? <AddRuleForm name={name} columns={columns} onAdded={() => void refresh()} /> : null}
    </section>
  );
}

function AddRuleForm({ name, columns, onAdded }: { name: string; columns: string[]; onAdded: () => void }) {
  const trpc = useTRPC();
  const ids = useId();
  const [draft, setDraft] = useState<RuleDraft>(emptyRuleDraft);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation(
    trpc.datasets.addRule.mutationOptions({
      onSuccess: (rule) => {
        setAdded(describeRule(rule));
        setDraft((current) => ({ ...emptyRuleDraft, kind: current.kind }));
        onAdded();
      },
      onError: (failure) => setError(failure.message),
    }),
  );
  const set = (changes: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...changes }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAdded(null);
    const built = ruleFromDraft(draft);
    if ("error" in built) {
      setError(built.error);
      return;
    }
    setError(null);
    add.mutate({ name, rule: built.rule });
  }

  const errorId = `${ids}-error`;
  const invalid = error ? { "aria-invalid": true as const, "aria-describedby": errorId } : {};
  return (
    <form onSubmit={submit} noValidate aria-label="Add a quality rule">
      <h3>Add a rule</h3>
      <div className={ui.toolbarFlush}>
        <div className={ui.field}>
          <label htmlFor={`${ids}-kind`}>Rule</label>
          <select id={`${ids}-kind`} className={styles.select} value={draft.kind} onChange={(e) => set({ kind: e.target.value as RuleKind })}>
            {(Object.keys(ruleKindLabels) as RuleKind[]).map((kind) => (
              <option key={kind} value={kind}>
                {ruleKindLabels[kind]}
              </option>
            ))}
          </select>
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-column`}>Column</label>
          <input
            id={`${ids}-column`}
            className={ui.input}
            list={columns.length ? `${ids}-columns` : undefined}
            value={draft.column}
            maxLength={300}
            placeholder={columns.length ? "Pick or type a column" : "Column name"}
            onChange={(e) => set({ column: e.target.value })}
            {...invalid}
          />
          {columns.length ? (
            <datalist id={`${ids}-columns`}>
              {columns.map((column) => (
                <option key={column} value={column} />
              ))}
            </datalist>
          ) : null}
        </div>
        {draft.kind === "range" ? (
          <>
            <div className={ui.field}>
              <label htmlFor={`${ids}-min`}>Minimum</label>
              <input id={`${ids}-min`} className={styles.narrowInput} inputMode="decimal" value={draft.min} onChange={(e) => set({ min: e.target.value })} {...invalid} />
            </div>
            <div className={ui.field}>
              <label htmlFor={`${ids}-max`}>Maximum</label>
              <input id={`${ids}-max`} className={styles.narrowInput} inputMode="decimal" value={draft.max} onChange={(e) => set({ max: e.target.value })} {...invalid} />
            </div>
          </>
        ) : null}
        {draft.kind === "allowed_values" ? (
          <div className={ui.field}>
            <label htmlFor={`${ids}-values`}>Allowed values (comma separated)</label>
            <input id={`${ids}-values`} className={ui.input} value={draft.values} placeholder="F, M" onChange={(e) => set({ values: e.target.value })} {...invalid} />
          </div>
        ) : null}
        {draft.kind === "regex" ? (
          <div className={ui.field}>
            <label htmlFor={`${ids}-pattern`}>Pattern (regular expression)</label>
            <input
              id={`${ids}-pattern`}
              className={`${ui.input} ${ui.wide}`}
              value={draft.pattern}
              maxLength={1000}
              placeholder="^\d{5}$"
              onChange={(e) => set({ pattern: e.target.value })}
              {...invalid}
            />
          </div>
        ) : null}
        {draft.kind === "max_missing" ? (
          <div className={ui.field}>
            <label htmlFor={`${ids}-missing`}>Max missing %</label>
            <input
              id={`${ids}-missing`}
              className={styles.narrowInput}
              inputMode="decimal"
              value={draft.maxMissingPercent}
              placeholder="5"
              onChange={(e) => set({ maxMissingPercent: e.target.value })}
              {...invalid}
            />
          </div>
        ) : null}
        <button type="submit" className={ui.button} disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add rule"}
        </button>
      </div>
      {error ? (
        <p id={errorId} className={ui.error} role="alert">
          {error}
        </p>
      ) : null}
      {added ? (
        <p role="status" className={styles.hint}>
          Added: {added}. Rules run on every new version; re-check a version from its page.
        </p>
      ) : null}
    </form>
  );
}
