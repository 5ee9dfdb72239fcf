/**
 * Syntax checks for the CloudEvents type system (spec.md "Type System") and attribute names
 * (spec.md "Naming Conventions"). Pure predicates: validate.ts turns a false into a coded error.
 */

/**
 * Attribute names "MUST consist of lower-case letters [a-z] or digits [0-9]" and "MUST be at
 * least one character in length" (spec.md "Naming Conventions"). Starting with a letter and
 * staying within 20 characters are only SHOULDs, so they are not enforced here.
 */
export function isAttributeName(name: string): boolean {
  return /^[a-z0-9]+$/.test(name);
}

/** Integer: a signed 32-bit whole number (spec.md "Type System"). */
export function isCloudEventsInteger(value: number): boolean {
  return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
}

/**
 * Why a `String` value is not one, or undefined when it is (spec.md "Type System"): no control
 * characters U+0000–U+001F and U+007F–U+009F, no Unicode noncharacters, no unpaired surrogates.
 */
export function stringProblem(value: string): string | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f)) {
      return `contains the control character U+${hex4(unit)}`;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return 'contains an unpaired surrogate';
      const codePoint = (unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
      if (isNoncharacter(codePoint)) return `contains the noncharacter U+${codePoint.toString(16).toUpperCase()}`;
      i += 1;
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return 'contains an unpaired surrogate';
    if (isNoncharacter(unit)) return `contains the noncharacter U+${hex4(unit)}`;
  }
  return undefined;
}

/** Unicode noncharacters: U+FDD0–U+FDEF and the last two code points of every plane. */
function isNoncharacter(codePoint: number): boolean {
  return (codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

// RFC 3986 §2: unreserved / sub-delims / ":" / "@" / "/" / "?" (pct-encoded checked apart).
const URI_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*$/;

/**
 * URI-reference (RFC 3986 §4.1) = URI / relative-ref. Checks what can go wrong in practice:
 * only the RFC's ASCII characters (non-ASCII must be percent-encoded, §2.1), well-formed `%HH`
 * escapes, at most one `#`, `[`/`]` only around an IP-literal host (§3.2.2), and a valid scheme
 * when the text has one; a first path segment with a ":" but no valid scheme is not a relative
 * reference either (§4.2).
 */
export function isUriReference(text: string): boolean {
  if (text === '') return false;
  const parts = splitReference(text);
  if (parts === undefined) return false;
  if (parts.scheme !== undefined && !SCHEME.test(parts.scheme)) return false;
  if (parts.authority !== undefined && !isAuthority(parts.authority)) return false;
  for (const piece of [parts.path, parts.query ?? '', parts.fragment ?? '']) {
    if (!hasOnlyUriChars(piece)) return false;
  }
  return true;
}

/**
 * An absolute URI: a URI-reference with a scheme (RFC 3986 §3). A fragment is allowed, as in
 * JSON Schema's `format: uri` that formats-cloudevents.json uses for `dataschema` — stricter §4.3
 * `absolute-URI` would reject common schema links such as `…/schema.json#/definitions/order`.
 */
export function isAbsoluteUri(text: string): boolean {
  return isUriReference(text) && splitReference(text)?.scheme !== undefined;
}

interface ReferenceParts {
  scheme?: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
}

// RFC 3986 Appendix B, the one regular expression that splits any reference.
const SPLIT = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

function splitReference(text: string): ReferenceParts | undefined {
  const m = SPLIT.exec(text);
  if (m === null) return undefined;
  const parts: ReferenceParts = { path: m[3] };
  if (m[1] !== undefined) parts.scheme = m[1];
  if (m[2] !== undefined) parts.authority = m[2];
  if (m[4] !== undefined) parts.query = m[4];
  if (m[5] !== undefined) parts.fragment = m[5];
  return parts;
}

function isAuthority(authority: string): boolean {
  // userinfo@host:port, where host may be an IP-literal in brackets (RFC 3986 §3.2).
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  // Only one "@" may delimit userinfo; a second one would have to be percent-encoded.
  if (userinfo.includes('@') || !hasOnlyUriChars(userinfo)) return false;
  let rest = hostPort;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || !/^[0-9A-Za-z:.\-_~!$&'()*+,;=]+$/.test(rest.slice(1, close))) return false;
    rest = rest.slice(close + 1);
    return rest === '' || /^:[0-9]*$/.test(rest);
  }
  const colon = rest.lastIndexOf(':');
  const host = colon >= 0 ? rest.slice(0, colon) : rest;
  if (colon >= 0 && !/^[0-9]*$/.test(rest.slice(colon + 1))) return false;
  return !/[:@/?]/.test(host) && hasOnlyUriChars(host);
}

function hasOnlyUriChars(piece: string): boolean {
  for (let i = 0; i < piece.length; i += 1) {
    const ch = piece[i];
    if (ch === '%') {
      if (!/^[0-9A-Fa-f]{2}$/.test(piece.slice(i + 1, i + 3))) return false;
      i += 2;
      continue;
    }
    if (!URI_CHAR.test(ch)) return false;
  }
  return true;
}

/**
 * RFC 3339 §5.6 `date-time`, checked strictly: month 01–12, day within the month (leap years per
 * §5.7 / Appendix C), hour 00–23, minute 00–59, second 00–59 or a leap second 60 at 23:59 UTC
 * (§5.7), offset `Z` or ±HH:MM with HH 00–23 and MM 00–59. "T" and "Z" may be lower case (§5.6 NOTE).
 */
export function isRfc3339Timestamp(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  let offsetMinutes = 0;
  if (m[7] === undefined) {
    const offHour = Number(m[9]);
    const offMinute = Number(m[10]);
    if (offHour > 23 || offMinute > 59) return false;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (offHour * 60 + offMinute);
  }
  if (second === 60) {
    // A leap second is always the last second of a UTC day (RFC 3339 §5.7).
    const utcMinuteOfDay = (((hour * 60 + minute - offsetMinutes) % 1440) + 1440) % 1440;
    if (utcMinuteOfDay !== 23 * 60 + 59) return false;
  }
  return true;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Base64 per RFC 4648 §4 (the standard alphabet, not base64url §5), the `Binary` string encoding
 * (spec.md "Type System"). Padding may be left off, but the length must still be one a real
 * encoding produces; no whitespace or line breaks.
 */
export function isBase64(text: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return false;
  const padded = text.endsWith('=');
  if (padded) return text.length % 4 === 0;
  return text.length % 4 !== 1;
}
