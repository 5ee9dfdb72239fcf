/**
 * LIKE patterns (CESQL §3.4.3): `%` is any run of characters, `_` exactly one character, `\%` and
 * `\_` the literal characters. A backslash before anything else is itself a literal backslash
 * (TCK like_expression "Exact match (2)": `'ab\c' LIKE 'ab\c'` is true).
 *
 * The common shapes compile to plain string operations; the rest to one anchored RegExp.
 */

type Piece = { kind: 'text'; text: string } | { kind: 'any' } | { kind: 'one' };

function pieces(pattern: string): Piece[] {
  const out: Piece[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') out.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      text += pattern[++i];
    } else if (c === '%') {
      flush();
      // Consecutive % are one %.
      if (out.at(-1)?.kind !== 'any') out.push({ kind: 'any' });
    } else if (c === '_') {
      flush();
      out.push({ kind: 'one' });
    } else {
      text += c;
    }
  }
  flush();
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** What a pattern implies, for explanations and pre-filters: `prefix` when the pattern is `text%`. */
export function likePrefix(pattern: string): string | undefined {
  const ps = pieces(pattern);
  return ps.length === 2 && ps[0].kind === 'text' && ps[1].kind === 'any' ? ps[0].text : undefined;
}

export function compileLike(pattern: string): (s: string) => boolean {
  const ps = pieces(pattern);
  const kinds = ps.map((p) => p.kind).join(',');
  const text = (i: number): string => (ps[i] as { text: string }).text;
  switch (kinds) {
    case '':
      return (s) => s === '';
    case 'any':
      return () => true;
    case 'text': {
      const t = text(0);
      return (s) => s === t;
    }
    case 'text,any': {
      const t = text(0);
      return (s) => s.startsWith(t);
    }
    case 'any,text': {
      const t = text(1);
      return (s) => s.endsWith(t);
    }
    case 'any,text,any': {
      const t = text(1);
      return (s) => s.includes(t);
    }
    case 'text,any,text': {
      const a = text(0);
      const b = text(2);
      return (s) => s.length >= a.length + b.length && s.startsWith(a) && s.endsWith(b);
    }
  }
  // The `u` flag makes `.` one code point, matching how CESQL counts characters; `s` lets it match
  // line terminators too.
  const source = ps
    .map((p) => (p.kind === 'text' ? escapeRegExp(p.text) : p.kind === 'any' ? '.*' : '.'))
    .join('');
  const re = new RegExp(`^${source}$`, 'su');
  return (s) => re.test(s);
}
