/** `herald trace` in table output: the life of an event as a short timeline a person reads. */

interface Attempt {
  attempt: number;
  at: string;
  latencyMs?: number;
  outcome: string;
  status?: number | null;
  error?: string | null;
}

interface Trace {
  bus: string;
  sequence: number;
  receivedAt: string;
  event: { id?: string; source?: string; type?: string };
  /** null: the router has not reached the event yet. */
  routed: { at: string | null; matched: string[] } | null;
  rulesMatched: string[];
  deliveries: Array<{
    id: number;
    rule: string;
    target: string;
    state: string;
    reason?: string | null;
    attempts: Attempt[];
    nextAttemptAt?: string | null;
    redrives?: Array<{ at: string; by: string | null; from: { rule: string; target: string }; to: { rule: string; target: string } }>;
  }>;
}

/** "routed at …: no rule matched" — every event gets a final answer (issue 10, item 4). */
function routedLine(routed: Trace['routed']): string {
  if (!routed) return '  routed: not yet';
  const when = routed.at ? `routed at ${routed.at}` : 'routed';
  return `  ${when}: ${routed.matched.length > 0 ? `rules matched: ${routed.matched.join(', ')}` : 'no rule matched'}`;
}

/** Undefined when the answer does not have the expected shape (the caller prints YAML instead). */
export function renderTrace(value: unknown): string | undefined {
  const t = value as Trace;
  if (!t || typeof t !== 'object' || !Array.isArray(t.deliveries) || !Array.isArray(t.rulesMatched)) return undefined;
  const lines = [
    `event ${t.sequence} on bus ${t.bus}: ${t.event?.type ?? '?'} from ${t.event?.source ?? '?'} (id ${t.event?.id ?? '?'})`,
    `  received  ${t.receivedAt}`,
    routedLine(t.routed),
  ];
  for (const d of t.deliveries) {
    const why = d.reason ? ` (${d.reason})` : d.nextAttemptAt ? ` (next attempt ${d.nextAttemptAt})` : '';
    lines.push(`  delivery ${d.id} → ${d.rule}/${d.target}: ${d.state}${why}`);
    // Attempts and redrives in the order they happened (RFC 3339 UTC strings sort as times).
    const steps = [
      ...(d.attempts ?? []).map((a) => {
        const detail = [a.status ? `HTTP ${a.status}` : '', a.latencyMs !== undefined ? `${a.latencyMs} ms` : '', a.error ?? ''].filter(Boolean).join(', ');
        return { at: a.at, line: `    #${a.attempt} ${a.at} ${a.outcome}${detail ? `: ${detail}` : ''}` };
      }),
      ...(d.redrives ?? []).map((r) => ({
        at: r.at,
        line: `    redriven ${r.at} from ${r.from.rule}/${r.from.target} to ${r.to.rule}/${r.to.target}${r.by ? ` by ${r.by}` : ''}`,
      })),
    ];
    for (const step of steps.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))) lines.push(step.line);
  }
  return `${lines.join('\n')}\n`;
}
