/**
 * The set of event `type` values an expression can possibly be true for, when the expression says
 * so outright (issue 7 part 4: a cheap pre-filter before evaluation). `null` means "any type".
 *
 * Sound by construction: a rule is skipped for an event only when its expression is certainly not
 * true for that event's type. `type = 'x'` / `'x' = type` / `type IN ('x', 'y')` imply their
 * literals (`type` is a REQUIRED String attribute and the literal is a String, so `=` is plain
 * string equality, §3.7); AND intersects, OR unites; anything else implies nothing.
 */
import type { Node } from './types.js';

export function impliedTypes(node: Node): Set<string> | null {
  switch (node.kind) {
    case 'binary': {
      if (node.op === '=') return typeEquality(node.left, node.right) ?? typeEquality(node.right, node.left);
      if (node.op === 'AND') return intersect(impliedTypes(node.left), impliedTypes(node.right));
      if (node.op === 'OR') {
        const l = impliedTypes(node.left);
        const r = impliedTypes(node.right);
        return l === null || r === null ? null : new Set([...l, ...r]);
      }
      return null;
    }
    case 'in': {
      if (node.negated || node.operand.kind !== 'attribute' || node.operand.name !== 'type') return null;
      const values = new Set<string>();
      for (const element of node.set) {
        if (element.kind !== 'literal' || typeof element.value !== 'string') return null;
        values.add(element.value);
      }
      return values;
    }
    default:
      return null;
  }
}

function typeEquality(attribute: Node, literal: Node): Set<string> | null {
  if (attribute.kind === 'attribute' && attribute.name === 'type' && literal.kind === 'literal' && typeof literal.value === 'string') {
    return new Set([literal.value]);
  }
  return null;
}

export function intersect(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
  if (a === null) return b;
  if (b === null) return a;
  return new Set([...a].filter((x) => b.has(x)));
}
