// PostgreSQL's pg_snapshot text ("xmin:xmax:xip,…") read as data: which transaction ids one snapshot sees and another does not.

/** A snapshot: every xid below `xmin` has finished, none at or above `xmax` had started, `inProgress` lies between. */
export interface PgSnapshot {
  xmin: number;
  xmax: number;
  inProgress: ReadonlySet<number>;
}

/** The text of `pg_current_snapshot()::text` as numbers, or null when it is not one (or past 2^53, never in practice). */
export function parsePgSnapshot(text: string): PgSnapshot | null {
  const parts = text.split(":");
  if (parts.length !== 3) return null;
  const xmin = Number(parts[0]);
  const xmax = Number(parts[1]);
  const inProgress = parts[2] === "" ? [] : parts[2].split(",").map(Number);
  const valid = (x: number) => Number.isSafeInteger(x) && x >= 0;
  if (!valid(xmin) || !valid(xmax) || xmin > xmax || !inProgress.every(valid)) return null;
  return { xmin, xmax, inProgress: new Set(inProgress) };
}

/**
 * Whether a transaction's effects are visible under the snapshot, as pg_visible_in_snapshot answers it: it finished
 * before the snapshot was taken. "Finished" includes aborting; an aborted transaction's rows are never seen.
 */
export function finishedIn(snapshot: PgSnapshot, xid: number): boolean {
  if (xid < snapshot.xmin) return true;
  if (xid >= snapshot.xmax) return false;
  return !snapshot.inProgress.has(xid);
}

/** The longest range of xids xidsFinishedBetween walks (about a millisecond). */
export const MAX_XID_RANGE = 100_000;

/**
 * The transaction ids that one of the two snapshots sees finished and the other does not, in increasing order: the
 * transactions whose commits (or aborts) make what the two snapshots see differ. Two snapshots that see the same
 * data give []. Null when there are more than `limit` of them (the caller then treats the difference as unknown).
 *
 * Only top-level transaction ids are listed in a pg_snapshot, so a subtransaction's own xid reads as finished while
 * its parent runs; the parent's xid is what changes when its work becomes visible, and it is in the list.
 */
export function xidsFinishedBetween(a: PgSnapshot, b: PgSnapshot, limit: number): number[] | null {
  const from = Math.min(a.xmin, b.xmin);
  const to = Math.max(a.xmax, b.xmax);
  // A transaction left open holds xmin back, so the range can be long while few xids in it changed; past this many
  // the walk itself would cost more than the read it is meant to spare.
  if (to - from > MAX_XID_RANGE) return null;
  const changed: number[] = [];
  // Only the xids between the lower xmin and the higher xmax can differ: below both xmins both see them finished,
  // at or above both xmaxes neither does.
  for (let xid = from; xid < to; xid++) {
    if (finishedIn(a, xid) !== finishedIn(b, xid)) {
      if (changed.length === limit) return null;
      changed.push(xid);
    }
  }
  return changed;
}
