/**
 * Label children cached by their label values, one map level per label: a hot-path lookup is two
 * or three map reads, with no key string built and nothing allocated per event (issue 15: keep the
 * counting points cheap).
 */
type Level<T> = Map<string, Map<string, T>>;

export class LabelCache2<T> {
  private readonly root: Level<T> = new Map();

  get(a: string, b: string): T | undefined {
    return this.root.get(a)?.get(b);
  }

  set(a: string, b: string, value: T): void {
    let level = this.root.get(a);
    if (!level) this.root.set(a, (level = new Map()));
    level.set(b, value);
  }

  delete(a: string, b?: string): void {
    if (b === undefined) this.root.delete(a);
    else this.root.get(a)?.delete(b);
  }
}

export class LabelCache3<T> {
  private readonly root = new Map<string, Level<T>>();

  get(a: string, b: string, c: string): T | undefined {
    return this.root.get(a)?.get(b)?.get(c);
  }

  set(a: string, b: string, c: string, value: T): void {
    let level = this.root.get(a);
    if (!level) this.root.set(a, (level = new Map()));
    let inner = level.get(b);
    if (!inner) level.set(b, (inner = new Map()));
    inner.set(c, value);
  }

  /** Forgets one entry, or all of `a` (and `b`) when the later values are left out. */
  delete(a: string, b?: string, c?: string): void {
    if (b === undefined) this.root.delete(a);
    else if (c === undefined) this.root.get(a)?.delete(b);
    else this.root.get(a)?.get(b)?.delete(c);
  }

  /** Every entry under `a`, with its `b` and `c`. */
  *under(a: string): Iterable<[string, string, T]> {
    for (const [b, inner] of this.root.get(a) ?? []) for (const [c, value] of inner) yield [b, c, value];
  }
}
