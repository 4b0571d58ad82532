"use client";
// The runs table's "Compare" button: a plain link for up to MAX_LINKED_RUNS runs; a longer selection is
// saved on the server first and the link carries its short id (1,000 run ids do not fit in a URL).
import { useMutation } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { MAX_LINKED_RUNS } from "@/lib/compare-state";
import { encodeUrlList } from "@/lib/url-list";

/** `onLeave`: called as the person follows the link, before the navigation starts (see useRunSelection's `leave`). */
export function CompareLink({ experimentId, runIds, className, onLeave }: { experimentId: string; runIds: string[]; className?: string; onLeave?: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(
    trpc.tracking.saveCompareSelection.mutationOptions({
      onSuccess: ({ selectionId }) => router.push(`/experiments/${experimentId}/compare?${new URLSearchParams({ sel: selectionId }).toString()}`),
    }),
  );
  const label = `Compare ${runIds.length} run${runIds.length === 1 ? "" : "s"}`;
  if (runIds.length <= MAX_LINKED_RUNS) {
    return (
      <Link className={className} onClick={onLeave} href={`/experiments/${experimentId}/compare?${new URLSearchParams({ runs: encodeUrlList(runIds) }).toString()}`}>
        {label}
      </Link>
    );
  }
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={save.isPending}
        onClick={() => {
          onLeave?.();
          save.mutate({ experimentId, runIds });
        }}
      >
        {label}
      </button>
      {save.error ? (
        <span role="alert" className={ui.error}>
          {save.error.message}
        </span>
      ) : null}
    </>
  );
}
