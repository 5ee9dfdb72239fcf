/**
 * Media type syntax (RFC 2045 §5.1 as referenced by RFC 2046, in the HTTP form of RFC 9110 §8.3.1):
 *   media-type = type "/" subtype *( OWS ";" OWS parameter )
 *   parameter  = token "=" ( token / quoted-string )
 * The spec makes `datacontenttype` follow RFC 2046 (spec.md "datacontenttype") and the HTTP
 * binding maps it to and from Content-Type (bindings-http-protocol-binding.md §3.1.1), so one
 * parser serves both. Type, subtype and parameter names are case-insensitive (spec.md
 * "datacontenttype", RFC 2045): they come back lower-cased, parameter values as given.
 */

export interface MediaType {
  /** `type/subtype`, lower-cased. */
  essence: string;
  type: string;
  subtype: string;
  /** Parameter names lower-cased; values unquoted, case kept. */
  parameters: Record<string, string>;
}

// RFC 9110 §5.6.2 tchar.
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const OWS = /[ \t]*/y;

/** Parses a media type; returns undefined when the text is not one. */
export function parseMediaType(text: string): MediaType | undefined {
  let i = 0;
  const skipOws = (): void => {
    OWS.lastIndex = i;
    OWS.exec(text);
    i = OWS.lastIndex;
  };
  const readToken = (): string => {
    const start = i;
    while (i < text.length && TCHAR.test(text[i])) i += 1;
    return text.slice(start, i);
  };
  skipOws();
  const type = readToken();
  if (type === '' || text[i] !== '/') return undefined;
  i += 1;
  const subtype = readToken();
  if (subtype === '') return undefined;
  const parameters: Record<string, string> = {};
  while (true) {
    skipOws();
    if (i >= text.length) break;
    if (text[i] !== ';') return undefined;
    i += 1;
    skipOws();
    const name = readToken();
    if (name === '' || text[i] !== '=') return undefined;
    i += 1;
    let value: string;
    if (text[i] === '"') {
      // quoted-string (RFC 9110 §5.6.4): qdtext or a backslash quoted-pair.
      i += 1;
      value = '';
      while (true) {
        if (i >= text.length) return undefined;
        const ch = text[i];
        if (ch === '"') { i += 1; break; }
        if (ch === '\\') {
          if (i + 1 >= text.length) return undefined;
          value += text[i + 1];
          i += 2;
          continue;
        }
        const code = ch.charCodeAt(0);
        if ((code < 0x20 && code !== 0x09) || code === 0x7f) return undefined; // CTLs, not HTAB
        value += ch;
        i += 1;
      }
    } else {
      value = readToken();
      if (value === '') return undefined;
    }
    parameters[name.toLowerCase()] = value;
  }
  const lowerType = type.toLowerCase();
  const lowerSubtype = subtype.toLowerCase();
  return { essence: `${lowerType}/${lowerSubtype}`, type: lowerType, subtype: lowerSubtype, parameters };
}

export function isMediaType(text: string): boolean {
  return parseMediaType(text) !== undefined;
}

/**
 * JSON-formatted content: subtype `json` or ending in `+json` (formats-json-format.md §3.1.1:
 * "has the form `*\/json` or `*\/*+json`").
 */
export function isJsonMediaType(media: MediaType): boolean {
  return media.subtype === 'json' || media.subtype.endsWith('+json');
}

/**
 * Content Herald keeps as a string `data` in binary mode: `text/*`, XML, or anything that names a
 * charset. Everything else is opaque bytes (`data_base64`).
 */
export function isTextMediaType(media: MediaType): boolean {
  return (
    media.type === 'text' ||
    media.subtype === 'xml' ||
    media.subtype.endsWith('+xml') ||
    media.parameters.charset !== undefined
  );
}

/** Charsets whose bytes are UTF-8 when valid (US-ASCII is a subset). */
export function isUtf8Charset(charset: string | undefined): boolean {
  if (charset === undefined) return true;
  const c = charset.toLowerCase();
  return c === 'utf-8' || c === 'utf8' || c === 'us-ascii';
}
