/**
 * The store seam, checked statically (issue 12, item 5; STYLE.md habit 3): the rest of Herald sees
 * only the contract (src/store/types.ts, through src/store/index.ts), so a second engine
 * (PostgreSQL) can be added behind it without touching the callers. The engine is chosen in one
 * factory (src/store/index.ts), the only file outside an engine folder that may import one. And the
 * HTTP surface depends on the domain, never the other way round: only the process wiring
 * (src/server/) imports src/api/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const SRC = join(ROOT, 'src');
const STORE = join(SRC, 'store');
const FACTORY = join(STORE, 'index.ts');
/** Packages that are an engine's own driver: only that engine's folder may load them. */
const ENGINE_DRIVERS: Record<string, string[]> = { sqlite: ['better-sqlite3'] };

interface Import {
  file: string;
  specifier: string;
  /** Absolute path for a relative specifier, else undefined (a package). */
  target?: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Static imports, re-exports, `import('…')` (types included) and side-effect imports. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)) {
    const specifier = match[1];
    out.push({ file, specifier, ...(specifier.startsWith('.') ? { target: resolve(dirname(file), specifier) } : {}) });
  }
  return out;
}

const engines = readdirSync(STORE).filter((name) => statSync(join(STORE, name)).isDirectory());
const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);
const within = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);
const engineOf = (path: string) => engines.find((engine) => within(path, join(STORE, engine)));
const show = (i: Import) => `${relative(ROOT, i.file)} imports ${i.specifier}`;

test('the checker sees the imports it must judge (the factory imports the sqlite engine)', () => {
  assert.ok(engines.includes('sqlite'), `engine folders found: ${engines.join(', ')}`);
  assert.ok(files.length > 50, `only ${files.length} source files found under src/`);
  assert.ok(
    imports.some((i) => i.file === FACTORY && i.target !== undefined && engineOf(i.target) === 'sqlite'),
    'src/store/index.ts should import the sqlite engine: the scan missed it',
  );
  // Type-only dynamic imports count too.
  assert.ok(imports.some((i) => i.specifier === '../store/index.js' && relative(SRC, i.file) === join('sources', 'types.ts')));
});

test('nothing outside src/store/<engine>/ imports an engine, except the factory', () => {
  const offending = imports.filter((i) => {
    if (i.target === undefined || i.file === FACTORY) return false;
    const engine = engineOf(i.target);
    return engine !== undefined && engineOf(i.file) !== engine;
  });
  assert.deepEqual(offending.map(show), [], 'use the contract (src/store/index.ts) instead: engine types never cross it');
});

test("an engine's driver is loaded only inside that engine's folder", () => {
  const offending = imports.filter((i) =>
    Object.entries(ENGINE_DRIVERS).some(([engine, drivers]) => drivers.includes(i.specifier) && engineOf(i.file) !== engine),
  );
  assert.deepEqual(offending.map(show), []);
});

test('the contract (src/store/types.ts) imports no engine and no driver', () => {
  const contract = importsOf(join(STORE, 'types.ts'));
  assert.deepEqual(contract.filter((i) => i.target === undefined || !within(i.target, SRC) || engineOf(i.target) !== undefined).map(show), []);
});

test('only the process wiring (src/server/) imports the HTTP routes (src/api/)', () => {
  const api = join(SRC, 'api');
  const wiring = join(SRC, 'server');
  const offending = imports.filter((i) => i.target !== undefined && within(i.target, api) && !within(i.file, api) && !within(i.file, wiring));
  assert.deepEqual(offending.map(show), [], 'the api imports the domain, never the other way round');
});
