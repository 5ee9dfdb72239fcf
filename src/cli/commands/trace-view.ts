/** `herald trace` in table output: the life of an event as a short timeline a person reads. */

interface Attempt {
  attempt: number;
  at: number | string;
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
  routed: boolean;
  rulesMatched: string[];
  deliveries: Array<{ id: number; rule: string; target: string; state: string; reason?: string | null; attempts: Attempt[]; nextAttemptAt?: string | null }>;
}

/** Undefined when the answer does not have the expected shape (the caller prints YAML instead). */
export function renderTrace(value: unknown): string | undefined {
  const t = value as Trace;
  if (!t || typeof t !== 'object' || !Array.isArray(t.deliveries) || !Array.isArray(t.rulesMatched)) return undefined;
  const lines = [
    `event ${t.sequence} on bus ${t.bus}: ${t.event?.type ?? '?'} from ${t.event?.source ?? '?'} (id ${t.event?.id ?? '?'})`,
    `  received  ${t.receivedAt}`,
    `  routed    ${t.routed ? `yes; rules matched: ${t.rulesMatched.length > 0 ? t.rulesMatched.join(', ') : 'none'}` : 'not yet'}`,
  ];
  for (const d of t.deliveries) {
    const why = d.reason ? ` (${d.reason})` : d.nextAttemptAt ? ` (next attempt ${d.nextAttemptAt})` : '';
    lines.push(`  delivery ${d.id} → ${d.rule}/${d.target}: ${d.state}${why}`);
    for (const a of d.attempts ?? []) {
      const at = typeof a.at === 'number' ? new Date(a.at).toISOString() : a.at;
      const detail = [a.status ? `HTTP ${a.status}` : '', a.latencyMs !== undefined ? `${a.latencyMs} ms` : '', a.error ?? ''].filter(Boolean).join(', ');
      lines.push(`    #${a.attempt} ${at} ${a.outcome}${detail ? `: ${detail}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
