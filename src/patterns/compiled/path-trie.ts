/**
 * A trie of the field paths that patterns use. Matching walks the event from the root and, at each
 * node, looks up only the keys of its outgoing edges, so fields no pattern uses are never visited.
 *
 * Paths are flattened with `.`, as event-ruler does, so an event key `"a.b"` and nested keys
 * `{"a":{"b":…}}` reach the same field. The trie keeps that equivalence with shortcut edges: for a
 * path of segments s1…sn, the node for s1…si has an edge keyed `s(i+1)…sj` (joined with `.`) to the
 * node for s1…sj, for every j > i. Paths are short, so the n²/2 edges cost little.
 */
import { FieldIndex } from './field-index.js';

export interface Edge {
  readonly key: string;
  readonly node: PathNode;
  /** The key is also a property of Object.prototype (`constructor`, `__proto__`…): check it is own. */
  readonly guarded: boolean;
}

export class PathNode {
  edges: Edge[] = [];
  /** The value tests at exactly this path, or null when only deeper paths are used. */
  index: FieldIndex | null = null;
  /** How many `exists: false` conditions name this path; presence is recorded only when > 0. */
  absentUses = 0;
  /** How many conditions use this path or a path below it; the node goes when it reaches 0. */
  uses = 0;
  // Per-match presence record for `exists: false` (reset lazily by comparing the match generation).
  presenceGen = 0;
  presenceAnywhere = false;
  presenceMemberships: number[][] = [];

  constructor(readonly path: string) {}
}

const prototypeKeys = new Set(Object.getOwnPropertyNames(Object.prototype));

export class PathTrie {
  readonly root = new PathNode('');
  private readonly nodes = new Map<string, PathNode>();

  /** The node for `path`, creating it and its shortcut edges; counts one more use along the way. */
  acquire(path: string): PathNode {
    const segments = path.split('.');
    const chain: PathNode[] = [this.root];
    for (let j = 1; j <= segments.length; j++) {
      const full = segments.slice(0, j).join('.');
      let node = this.nodes.get(full);
      if (node === undefined) {
        node = new PathNode(full);
        this.nodes.set(full, node);
        for (let i = 0; i < j; i++) {
          const key = segments.slice(i, j).join('.');
          chain[i].edges.push({ key, node, guarded: prototypeKeys.has(key) });
        }
      }
      chain.push(node);
    }
    for (const node of chain) node.uses++;
    return chain[chain.length - 1];
  }

  /** Releases one use of `path`; nodes no condition uses any more are unlinked. */
  release(path: string): void {
    const segments = path.split('.');
    const chain: PathNode[] = [this.root];
    for (let j = 1; j <= segments.length; j++) {
      const node = this.nodes.get(segments.slice(0, j).join('.'));
      if (node === undefined) return;
      chain.push(node);
    }
    for (const node of chain) node.uses--;
    for (let j = chain.length - 1; j >= 1; j--) {
      const node = chain[j];
      if (node.uses > 0) continue;
      this.nodes.delete(node.path);
      for (let i = 0; i < j; i++) chain[i].edges = chain[i].edges.filter((e) => e.node !== node);
    }
  }

  forEachNode(fn: (node: PathNode) => void): void {
    for (const node of this.nodes.values()) fn(node);
  }

  get size(): number {
    return this.nodes.size;
  }
}
