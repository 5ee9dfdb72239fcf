/** Paths into plain data (`buses`, 0, `rules`, 2, `name`): read and replace a value at one. */

/** A path into plain data: keys and array indexes. */
export type Segment = string | number;

/** The value at a path of plain data, or undefined. */
export function getAt(value: unknown, path: Segment[]): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** A copy of plain data with the value at a path replaced (the path must exist down to its parent). */
export function setAt<T>(value: T, path: Segment[], replacement: unknown): T {
  if (path.length === 0) return replacement as T;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy: unknown[] = [...(value as unknown[])];
    copy[Number(head)] = setAt(copy[Number(head)], rest, replacement);
    return copy as T;
  }
  if (value !== null && typeof value === 'object') {
    const copy = { ...(value as Record<string, unknown>) };
    copy[String(head)] = setAt(copy[String(head)], rest, replacement);
    return copy as T;
  }
  return value;
}
