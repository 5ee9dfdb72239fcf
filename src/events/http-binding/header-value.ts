/**
 * HTTP header values for CloudEvents attributes (bindings-http-protocol-binding.md §3.1.3.2).
 * Decoding: unescape double-quoted strings (RFC 7230 §3.2.6), then one round of percent-decoding,
 * rejecting byte sequences that are not valid UTF-8. Encoding: percent-encode space, `"`, `%` and
 * everything outside printable ASCII U+0021–U+007E, as upper-case `%XY` of the UTF-8 bytes.
 */

/** Why a header value could not be decoded; the caller names the header. */
export class HeaderValueError extends Error {
  override readonly name = 'HeaderValueError';
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeHeaderValue(raw: string): string {
  const unquoted = unquote(raw.trim());
  if (/^[\x21-\x7e ]*$/.test(unquoted) && !unquoted.includes('%')) return unquoted;
  const bytes: number[] = [];
  for (let i = 0; i < unquoted.length; i += 1) {
    const ch = unquoted[i];
    if (ch === '%') {
      const hex = unquoted.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new HeaderValueError(`invalid percent-encoding at position ${i}: "%" must be followed by two hex digits`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    // Node's HTTP parser hands raw header bytes over as latin1 characters, so a character up to
    // U+00FF is one byte: raw UTF-8 from a lenient client then decodes like its escaped form.
    // Callers that pass real Unicode text get it back as its UTF-8 bytes.
    const codePoint = unquoted.codePointAt(i) ?? 0;
    if (codePoint <= 0xff) {
      bytes.push(codePoint);
      continue;
    }
    if (codePoint > 0xffff) i += 1;
    for (const b of Buffer.from(String.fromCodePoint(codePoint), 'utf8')) bytes.push(b);
  }
  try {
    // fatal: overlong forms such as %C0%A0 and lone surrogates are rejected (§3.1.3.2).
    return UTF8.decode(Uint8Array.from(bytes));
  } catch {
    // Raw bytes that are not UTF-8 and no escapes: the sender wrote the text as latin1 (the
    // `cloudevents` npm SDK does, through Node's HTTP client), and each character is what it meant.
    if (!unquoted.includes('%')) return unquoted;
    throw new HeaderValueError('percent-decoded bytes are not valid UTF-8');
  }
}

/**
 * RFC 7230 §3.2.6 quoted-string: `"…"` with `\x` quoted-pairs. Quoted segments may sit anywhere in
 * the value; text outside them is kept as is.
 */
function unquote(value: string): string {
  if (!value.includes('"')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const ch = value[i];
    if (ch !== '"') {
      out += ch;
      i += 1;
      continue;
    }
    i += 1;
    while (true) {
      if (i >= value.length) throw new HeaderValueError('unterminated double-quoted string');
      const c = value[i];
      if (c === '"') { i += 1; break; }
      if (c === '\\') {
        if (i + 1 >= value.length) throw new HeaderValueError('unterminated double-quoted string');
        out += value[i + 1];
        i += 2;
        continue;
      }
      out += c;
      i += 1;
    }
  }
  return out;
}

export function encodeHeaderValue(value: string): string {
  let out = '';
  for (const ch of value) {
    // for…of walks code points, so a surrogate pair is one character (§3.1.3.2).
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x21 && code <= 0x7e && ch !== '"' && ch !== '%') {
      out += ch;
      continue;
    }
    for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
