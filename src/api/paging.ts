/**
 * Pagination of admin lists: `?limit=` (1–1000, default 1000) and `?after=<name>` (the `next` of
 * the previous page). Lists are sorted by name; `next` is present only when more remain. The query
 * schema (`PAGE_QUERY`, src/api/schemas/common.ts) has already turned `limit` into an integer.
 */
import { HeraldError } from '../errors/index.js';

export interface PageQuery {
  limit?: number;
  after?: string;
}

export function page<T extends { name: string }>(items: T[], query: PageQuery): { items: T[]; next?: string } {
  const limit = query.limit === undefined ? 1000 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new HeraldError('HERALD_INVALID_REQUEST', `limit: ${String(query.limit)} must be a whole number from 1 to 1000`, 'limit');
  }
  const sorted = [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const start = query.after === undefined ? 0 : sorted.findIndex((item) => item.name > query.after!);
  const rest = start < 0 ? [] : sorted.slice(start);
  const pageItems = rest.slice(0, limit);
  return rest.length > limit ? { items: pageItems, next: pageItems[pageItems.length - 1].name } : { items: pageItems };
}
