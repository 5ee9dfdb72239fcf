import { HeraldError } from '../errors/index.js';
import { BUS_NAME } from './types.js';

/** The one name rule of buses, rules, sources and connections (every engine stores names it accepts). */
export function checkName(name: string, field = 'name'): void {
  if (!BUS_NAME.test(name)) {
    throw new HeraldError('HERALD_INVALID_NAME', `"${name}" is not a valid name: use 1 to 256 of A-Z a-z 0-9 . _ -`, field);
  }
}
