/** Store URLs (`--store`): told apart without opening anything, and never printed with a password. */

/** True for a `postgres://` or `postgresql://` URL (the two schemes libpq accepts). */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\/./i.test(value) && URL.canParse(value);
}

/** The value with any URL password replaced by `***`, fit for an error message or a log. */
export function redact(value: string): string {
  if (!URL.canParse(value)) return value.replace(/:[^:@/]*@/, ':***@');
  const url = new URL(value);
  if (url.password !== '') url.password = '***';
  return url.toString();
}
