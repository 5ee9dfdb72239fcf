/**
 * The matcher seam (ARCHITECTURE.md, "The matcher"). One matcher per bus and view; synchronous and
 * free of I/O so the router can run it inline once per event.
 */
export type Filter = { pattern: unknown } | { cesql: string } | { subscriptions: unknown[] };

export interface Matcher {
  /** Adds (or replaces) a rule's filter. Throws a coded HeraldError when the filter is invalid: fail closed. */
  add(ruleId: string, filter: Filter): void;
  remove(ruleId: string): void;
  /** Ids of the rules whose filter matches the event. */
  match(event: unknown): string[];
}

/** Why an event did or did not match one filter, for `POST /v1/filters/test` and `herald pattern test`. */
export interface Explanation {
  matched: boolean;
  /** When not matched: the field (a dotted path, or the attribute name) that failed, and why. */
  reasons: Array<{ field: string; reason: string }>;
}
