// Stall attribution for bench/serving-canary (issue 20): production's p99 grows by tens to hundreds of milliseconds
// with a shadow while the shadow adds ~100 µs of CPU per request, so something holds answers for 100+ ms at a time.
// Each phase, the serving process writes a trace (server/serving/stall-trace.mjs, STUDIO_STALL_TRACE: its event loop's
// gaps split into CPU / run queue / blocked, its GCs, the log writer's inserts, the shadow's batches) and the load
// generator keeps every request's scheduled start, send lag and latency (bench/paced-load.ts `timeline`) while this
// module watches the bench process's own event loop (the same 5 ms tick) and the machine's run queue (/proc/stat procs_running every 10 ms)
// and PostgreSQL's checkpoints and autovacuum. Slow answers (> BENCH_STALL_MS, default 20) are grouped into episodes
// (overlapping in time) and each episode is put down to what overlapped it:
// - "server loop held": the serving thread's event loop had a gap covering at least half the episode's worst latency,
//   further split by what the thread was doing meanwhile (on a CPU, waiting for one, blocked);
// - "client late": the load generator sent late or its own loop stalled for at least half of it (the server was idle);
// - "queue, no gap": neither loop stalled that long: answers queued behind work that never held either loop for long.
import { readFileSync } from "node:fs";
import { monitorLoopGaps, type LoopGap } from "@/server/serving/stall-trace.mjs";
import type { PacedTimeline } from "./paced-load";

export const STALL_MS = Number(process.env.BENCH_STALL_MS) || 20;

interface TraceLine {
  src: string;
  pid: number;
  t: number;
  ms?: number;
  gapMs?: number;
  cpuMs?: number | null;
  runqueueMs?: number | null;
  blockedMs?: number | null;
  kind?: string;
  rows?: number;
  copies?: number;
  entries?: number;
  backendPid?: number | null;
  policy?: string;
}

interface PgCounters {
  checkpoints: number;
  buffersCheckpoint: number;
  autovacuums: number;
}

export interface PhaseProbe {
  stop(): Promise<ProbeResult>;
}

export interface ProbeResult {
  from: number;
  to: number;
  clientGaps: LoopGap[];
  /** procs_running samples (10 ms apart): time, runnable tasks on the machine (this sampler included). */
  runQueue: { t: number; running: number }[];
  loadavg: [string, string];
  checkpoints: number | null;
  autovacuums: number | null;
}

async function pgCounters(databaseUrl: string): Promise<PgCounters | null> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query(
      `select (select checkpoints_timed + checkpoints_req from pg_stat_bgwriter) as checkpoints,
              (select buffers_checkpoint from pg_stat_bgwriter) as buffers,
              (select coalesce(sum(autovacuum_count + autoanalyze_count), 0) from pg_stat_all_tables) as autovacuums`,
    );
    return { checkpoints: Number(rows[0].checkpoints), buffersCheckpoint: Number(rows[0].buffers), autovacuums: Number(rows[0].autovacuums) };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function procsRunning(): number {
  const stat = readFileSync("/proc/stat", "utf8");
  const match = /procs_running (\d+)/.exec(stat);
  return match ? Number(match[1]) : Number.NaN;
}

/** Starts watching the bench process's event loop, the machine's run queue and PostgreSQL for one phase. */
export async function startPhaseProbe(databaseUrl: string): Promise<PhaseProbe> {
  const pgBefore = await pgCounters(databaseUrl);
  const loadBefore = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const clientGaps: LoopGap[] = [];
  const stopGaps = monitorLoopGaps(STALL_MS, (gap) => clientGaps.push(gap));
  const runQueue: { t: number; running: number }[] = [];
  const sampler = setInterval(() => runQueue.push({ t: performance.timeOrigin + performance.now(), running: procsRunning() }), 10);
  const from = performance.timeOrigin + performance.now();
  return {
    async stop() {
      const to = performance.timeOrigin + performance.now();
      stopGaps();
      clearInterval(sampler);
      const loadAfter = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
      // The stats collector publishes counters within ~0.5 s: read them after it has.
      await new Promise((resolve) => setTimeout(resolve, 600));
      const pgAfter = await pgCounters(databaseUrl);
      return {
        from,
        to,
        clientGaps,
        runQueue,
        loadavg: [loadBefore, loadAfter],
        checkpoints: pgBefore && pgAfter ? pgAfter.checkpoints - pgBefore.checkpoints : null,
        autovacuums: pgBefore && pgAfter ? pgAfter.autovacuums - pgBefore.autovacuums : null,
      };
    },
  };
}

/** The trace lines of one serving process between two instants. */
export function readTrace(file: string, pid: number, from: number, to: number): TraceLine[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const lines: TraceLine[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const parsed = JSON.parse(line) as TraceLine;
      const end = parsed.t + (parsed.gapMs ?? parsed.ms ?? 0);
      if (parsed.pid === pid && end >= from && parsed.t <= to) lines.push(parsed);
    } catch {
      // a line cut by a concurrent append: skipped
    }
  }
  return lines;
}

interface Episode {
  start: number;
  end: number;
  answers: number;
  worstMs: number;
  maxSendLagMs: number;
  serverGap: { ms: number; cpuMs: number; runqueueMs: number; blockedMs: number };
  clientGapMs: number;
  gcMs: number;
  gcKinds: string[];
  inserts: number;
  insertRows: number;
  shadowBatches: number;
  logPosts: number;
  maxRunQueue: number;
  cause: "server loop held" | "client late" | "queue, no gap";
}

export interface PhaseStalls {
  slowAnswers: number;
  answers: number;
  episodes: Episode[];
  /** Whole phase. */
  serverGaps: { count: number; ms: number; cpuMs: number; runqueueMs: number; blockedMs: number; worstMs: number };
  clientGaps: { count: number; ms: number; worstMs: number };
  gc: Record<string, { count: number; ms: number; worstMs: number }>;
  inserts: { count: number; rows: number; meanMs: number; worstMs: number; writerRunqueueMs: number };
  shadowSends: { count: number; meanMs: number; worstMs: number };
  meanRunQueue: number;
  /** The log writer's PostgreSQL connections opened in the phase: backend pid and policy (idle = SCHED_IDLE). */
  logBackends: string[];
  loadavg: [string, string];
  checkpoints: number | null;
  autovacuums: number | null;
}

const overlaps = (a0: number, a1: number, b0: number, b1: number) => a0 <= b1 && b0 <= a1;

/** Groups one phase's slow answers into episodes and puts each down to what overlapped it. */
export function attributeStalls(timeline: PacedTimeline, probe: ProbeResult, trace: TraceLine[]): PhaseStalls {
  const slow: { start: number; end: number; latency: number; lag: number }[] = [];
  let answers = 0;
  for (let i = 0; i < timeline.scheduledAt.length; i++) {
    const latency = timeline.latencyMs[i]!;
    if (Number.isNaN(latency)) continue;
    answers++;
    if (latency > STALL_MS) slow.push({ start: timeline.scheduledAt[i]!, end: timeline.scheduledAt[i]! + latency, latency, lag: timeline.sendLagMs[i]! });
  }
  slow.sort((a, b) => a.start - b.start);
  const groups: (typeof slow)[] = [];
  let groupEnd = -Infinity;
  for (const s of slow) {
    if (groups.length && s.start <= groupEnd + 2) groups[groups.length - 1]!.push(s);
    else groups.push([s]);
    groupEnd = groups[groups.length - 1]!.length === 1 ? s.end : Math.max(groupEnd, s.end);
  }
  const gaps = trace.filter((l) => l.src === "loop");
  const gcs = trace.filter((l) => l.src === "gc");
  const inserts = trace.filter((l) => l.src === "insert");
  const sends = trace.filter((l) => l.src === "shadow-send");
  const posts = trace.filter((l) => l.src === "log-post");
  const episodes: Episode[] = groups.map((group) => {
    const start = group[0]!.start;
    const end = Math.max(...group.map((g) => g.end));
    const worstMs = Math.max(...group.map((g) => g.latency));
    const serverGap = { ms: 0, cpuMs: 0, runqueueMs: 0, blockedMs: 0 };
    for (const g of gaps) {
      if (!overlaps(g.t, g.t + g.gapMs!, start, end)) continue;
      serverGap.ms += g.gapMs!;
      serverGap.cpuMs += g.cpuMs ?? 0;
      serverGap.runqueueMs += g.runqueueMs ?? 0;
      serverGap.blockedMs += g.blockedMs ?? 0;
    }
    const clientGapMs = probe.clientGaps.filter((g) => overlaps(g.t, g.t + g.gapMs, start, end)).reduce((a, g) => a + g.gapMs, 0);
    const inEpisode = (l: TraceLine) => overlaps(l.t, l.t + (l.ms ?? 0), start, end);
    const gcIn = gcs.filter(inEpisode);
    const insertsIn = inserts.filter(inEpisode);
    const maxSendLagMs = Math.max(...group.map((g) => g.lag));
    const runQueueIn = probe.runQueue.filter((r) => r.t >= start && r.t <= end).map((r) => r.running);
    const cause: Episode["cause"] =
      serverGap.ms >= worstMs / 2 ? "server loop held" : Math.max(clientGapMs, maxSendLagMs) >= worstMs / 2 ? "client late" : "queue, no gap";
    return {
      start,
      end,
      answers: group.length,
      worstMs,
      maxSendLagMs,
      serverGap,
      clientGapMs,
      gcMs: gcIn.reduce((a, g) => a + (g.ms ?? 0), 0),
      gcKinds: [...new Set(gcIn.map((g) => g.kind ?? "?"))],
      inserts: insertsIn.length,
      insertRows: insertsIn.reduce((a, l) => a + (l.rows ?? 0), 0),
      shadowBatches: sends.filter(inEpisode).length,
      logPosts: posts.filter(inEpisode).length,
      maxRunQueue: runQueueIn.length ? Math.max(...runQueueIn) : Number.NaN,
      cause,
    };
  });
  const gc: PhaseStalls["gc"] = {};
  for (const g of gcs) {
    const k = (gc[g.kind ?? "?"] ??= { count: 0, ms: 0, worstMs: 0 });
    k.count++;
    k.ms += g.ms ?? 0;
    k.worstMs = Math.max(k.worstMs, g.ms ?? 0);
  }
  const sum = (xs: TraceLine[], f: (l: TraceLine) => number) => xs.reduce((a, l) => a + f(l), 0);
  return {
    slowAnswers: slow.length,
    answers,
    episodes,
    serverGaps: {
      count: gaps.length,
      ms: sum(gaps, (g) => g.gapMs!),
      cpuMs: sum(gaps, (g) => g.cpuMs ?? 0),
      runqueueMs: sum(gaps, (g) => g.runqueueMs ?? 0),
      blockedMs: sum(gaps, (g) => g.blockedMs ?? 0),
      worstMs: Math.max(0, ...gaps.map((g) => g.gapMs!)),
    },
    clientGaps: { count: probe.clientGaps.length, ms: probe.clientGaps.reduce((a, g) => a + g.gapMs, 0), worstMs: Math.max(0, ...probe.clientGaps.map((g) => g.gapMs)) },
    gc,
    inserts: {
      count: inserts.length,
      rows: sum(inserts, (l) => l.rows ?? 0),
      meanMs: inserts.length ? sum(inserts, (l) => l.ms ?? 0) / inserts.length : 0,
      worstMs: Math.max(0, ...inserts.map((l) => l.ms ?? 0)),
      writerRunqueueMs: sum(inserts, (l) => l.runqueueMs ?? 0),
    },
    shadowSends: { count: sends.length, meanMs: sends.length ? sum(sends, (l) => l.ms ?? 0) / sends.length : 0, worstMs: Math.max(0, ...sends.map((l) => l.ms ?? 0)) },
    meanRunQueue: probe.runQueue.length ? probe.runQueue.reduce((a, r) => a + r.running, 0) / probe.runQueue.length : Number.NaN,
    logBackends: trace.filter((l) => l.src === "logwrite-backend").map((l) => `${l.backendPid} ${l.policy}`),
    loadavg: probe.loadavg,
    checkpoints: probe.checkpoints,
    autovacuums: probe.autovacuums,
  };
}

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "—");

/** One line per phase for the console: the phase's stalls and what they overlapped. */
export function describePhase(label: string, s: PhaseStalls): string {
  const causes = new Map<string, number>();
  for (const e of s.episodes) causes.set(e.cause, (causes.get(e.cause) ?? 0) + 1);
  const gcText = Object.entries(s.gc)
    .map(([kind, g]) => `${kind} ${g.count}× ${f1(g.ms)} ms (worst ${f1(g.worstMs)})`)
    .join(", ");
  const lines = [
    `[bench] stalls ${label}: ${s.slowAnswers} of ${s.answers} answers > ${STALL_MS} ms in ${s.episodes.length} episodes (${[...causes].map(([c, n]) => `${c} ${n}`).join(", ") || "none"}); load ${s.loadavg[0]} → ${s.loadavg[1]}, procs_running mean ${f1(s.meanRunQueue)}; checkpoints ${s.checkpoints ?? "?"}, autovacuum/analyze ${s.autovacuums ?? "?"}; log backends connected: ${s.logBackends.join(", ") || "none traced (policy normal, or the connection kept from before)"}`,
    `[bench]   serving thread gaps > ${STALL_MS} ms: ${s.serverGaps.count}, ${f1(s.serverGaps.ms)} ms (on CPU ${f1(s.serverGaps.cpuMs)}, run queue ${f1(s.serverGaps.runqueueMs)}, blocked ${f1(s.serverGaps.blockedMs)}; worst ${f1(s.serverGaps.worstMs)}) · client gaps ${s.clientGaps.count}, ${f1(s.clientGaps.ms)} ms (worst ${f1(s.clientGaps.worstMs)}) · GC ${gcText || "none"} · log inserts ${s.inserts.count} (${s.inserts.rows} rows, mean ${f1(s.inserts.meanMs)} ms, worst ${f1(s.inserts.worstMs)}, writer on run queue ${f1(s.inserts.writerRunqueueMs)} ms) · shadow batches sent ${s.shadowSends.count} (postMessage mean ${s.shadowSends.meanMs.toFixed(2)} ms, worst ${f1(s.shadowSends.worstMs)})`,
  ];
  for (const e of [...s.episodes].sort((a, b) => b.worstMs - a.worstMs).slice(0, 3)) {
    lines.push(
      `[bench]   episode at ${new Date(e.start).toISOString().slice(11, 23)}: ${e.answers} answers, worst ${f1(e.worstMs)} ms → ${e.cause}; server gap ${f1(e.serverGap.ms)} ms (CPU ${f1(e.serverGap.cpuMs)}, run queue ${f1(e.serverGap.runqueueMs)}, blocked ${f1(e.serverGap.blockedMs)}), client gap ${f1(e.clientGapMs)} ms, send lag ≤ ${f1(e.maxSendLagMs)} ms, GC ${f1(e.gcMs)} ms ${e.gcKinds.join("/")}, inserts ${e.inserts} (${e.insertRows} rows), shadow batches ${e.shadowBatches}, log posts ${e.logPosts}, procs_running ≤ ${e.maxRunQueue}`,
    );
  }
  return lines.join("\n");
}

/** Sums of several phases' stalls (an arm of the bench), for its table row. */
export function summariseArm(phases: PhaseStalls[]): string {
  const episodes = phases.flatMap((p) => p.episodes);
  const byCause = (cause: Episode["cause"]) => episodes.filter((e) => e.cause === cause);
  const held = byCause("server loop held");
  const part = (k: "cpuMs" | "runqueueMs" | "blockedMs") => held.reduce((a, e) => a + e.serverGap[k], 0);
  const slow = phases.reduce((a, p) => a + p.slowAnswers, 0);
  const answers = phases.reduce((a, p) => a + p.answers, 0);
  const gcMajor = phases.reduce((a, p) => a + (p.gc.major?.ms ?? 0), 0);
  const gcMinor = phases.reduce((a, p) => a + (p.gc.minor?.ms ?? 0), 0);
  // How many scavenges, besides how long: their count follows the allocations and the young generation's size, their
  // time also what survives them and how long V8's helper threads wait for a core.
  const gcMinorCount = phases.reduce((a, p) => a + (p.gc.minor?.count ?? 0), 0);
  const gapMs = phases.reduce((a, p) => a + p.serverGaps.ms, 0);
  const worst = Math.max(0, ...episodes.map((e) => e.worstMs));
  return (
    `${slow} of ${answers} answers > ${STALL_MS} ms (worst ${f1(worst)} ms) in ${episodes.length} episodes: server loop held ${held.length}` +
    ` (gaps on CPU ${f1(part("cpuMs"))} / run queue ${f1(part("runqueueMs"))} / blocked ${f1(part("blockedMs"))} ms),` +
    ` client late ${byCause("client late").length}, queue without a gap ${byCause("queue, no gap").length} · serving-thread gaps ${f1(gapMs)} ms in all · GC major ${f1(gcMajor)} ms, minor ${f1(gcMinor)} ms in ${gcMinorCount}`
  );
}
