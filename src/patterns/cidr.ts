/**
 * `cidr` (EventBridge "IP address matching"): an IPv4 or IPv6 network in prefix notation. An event
 * value matches when it is a string holding an address of the same family inside the network. IPv4 is
 * kept as a 32-bit number (the common case, no allocation); IPv6 as a bigint.
 */

export type IpRange =
  | { readonly family: 4; readonly lo: number; readonly hi: number }
  | { readonly family: 6; readonly lo: bigint; readonly hi: bigint };

/** Parses dotted-quad IPv4; returns the address as an unsigned 32-bit number, or -1. */
export function parseIpv4(text: string): number {
  let value = 0;
  let octets = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a virtual trailing '.'
    if (c >= 48 && c <= 57) {
      if (digits === 3) return -1;
      octet = octet * 10 + (c - 48);
      digits++;
    } else if (c === 46) {
      if (digits === 0 || octet > 255 || octets === 4) return -1;
      value = value * 256 + octet;
      octets++;
      digits = 0;
      octet = 0;
    } else {
      return -1;
    }
  }
  return octets === 4 ? value : -1;
}

/** Parses IPv6 (RFC 4291 section 2.2 text forms, including `::` and a trailing dotted quad); or null. */
export function parseIpv6(text: string): bigint | null {
  if (text.length < 2 || text.indexOf(':') < 0) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const pieces = s.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i];
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 < 0) return null;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const left = groupsOf(halves[0]);
  const right = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (left === null || right === null) return null;
  const total = left.length + right.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const groups = [...left, ...new Array<number>(8 - total).fill(0), ...right];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

/** Parses `address/bits`; returns the range or an error text. Host bits below the prefix are ignored. */
export function parseCidr(text: string): IpRange | string {
  const slash = text.indexOf('/');
  if (slash < 0) return 'expected an IP network in prefix notation, e.g. 10.0.0.0/24';
  const address = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bitsText)) return `invalid prefix length "${bitsText}"`;
  const bits = Number(bitsText);
  const v4 = parseIpv4(address);
  if (v4 >= 0) {
    if (bits > 32) return `prefix length ${bits} is over 32 for IPv4`;
    const size = 2 ** (32 - bits);
    const lo = Math.floor(v4 / size) * size;
    return { family: 4, lo, hi: lo + size - 1 };
  }
  const v6 = parseIpv6(address);
  if (v6 === null) return `"${address}" is not an IPv4 or IPv6 address`;
  if (bits > 128) return `prefix length ${bits} is over 128 for IPv6`;
  const hostBits = BigInt(128 - bits);
  const lo = (v6 >> hostBits) << hostBits;
  return { family: 6, lo, hi: lo + (1n << hostBits) - 1n };
}

/** Whether `value` is an address inside `range` (the simple form, used by the reference interpreter). */
export function inCidr(range: IpRange, value: string): boolean {
  if (range.family === 4) {
    const v = parseIpv4(value);
    return v >= 0 && v >= range.lo && v <= range.hi;
  }
  const v = parseIpv6(value);
  return v !== null && v >= range.lo && v <= range.hi;
}
