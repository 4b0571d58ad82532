"use client";
// "New experiment": the name is checked with the server's own zod schema first, then the server has the last word.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/ui/ui.module.css";
import { zCreateExperiment } from "@/server/tracking/schema";

/** The server's zod field errors arrive untyped over the wire; take the first message of one field. */
function firstFieldError(fieldErrors: unknown, field: string): string | undefined {
  if (!fieldErrors || typeof fieldErrors !== "object") return undefined;
  const messages: unknown = (fieldErrors as Record<string, unknown>)[field];
  return Array.isArray(messages) && typeof messages[0] === "string" ? messages[0] : undefined;
}

export function NewExperimentForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const create = useMutation(
    trpc.tracking.createExperiment.mutationOptions({
      onSuccess: (result, input) => {
        setCreated({ id: result.experiment_id, name: input.name });
        setName("");
        void queryClient.invalidateQueries({ queryKey: trpc.tracking.experimentSummaries.pathKey() });
      },
      onError: (error) => setFieldError(firstFieldError(error.data?.fieldErrors, "name") ?? error.message),
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    const parsed = zCreateExperiment.safeParse({ name });
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? "Check the name.");
      return;
    }
    setFieldError(null);
    create.mutate(parsed.data);
  }

  return (
    <form className={styles.panel} onSubmit={submit} noValidate aria-labelledby="new-experiment-title">
      <h2 id="new-experiment-title" className={styles.panelTitle}>
        New experiment
      </h2>
      <div className={styles.toolbarFlush}>
        <div className={styles.field}>
          <label htmlFor="new-experiment-name">Name</label>
          <input
            id="new-experiment-name"
            className={styles.input}
            value={name}
            maxLength={500}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? "new-experiment-error" : undefined}
          />
        </div>
        <button type="submit" className={styles.button} disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create experiment"}
        </button>
      </div>
      {fieldError ? (
        <p id="new-experiment-error" className={styles.error} role="alert">
          {fieldError}
        </p>
      ) : null}
      {created ? (
        <p role="status">
          Created <Link href={`/experiments/${created.id}`}>{created.name}</Link>.
        </p>
      ) : null}
    </form>
  );
}
