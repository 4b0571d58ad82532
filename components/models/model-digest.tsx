// A model version's SHA-256 shown short (the first 12 hex digits, as serving's x-model-digest begins) with the full value
// for copying and for screen readers.
import ui from "@/components/ui/ui.module.css";

export function ModelDigest({ digest }: { digest: string | null }) {
  if (!digest) return <span className={ui.muted}>not pinned yet</span>;
  return (
    <code title={`sha256:${digest}`} aria-label={`SHA-256 ${digest}`}>
      sha256:{digest.slice(0, 12)}…
    </code>
  );
}
