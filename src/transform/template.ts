/**
 * EventBridge's InputTransformer: an InputPathsMap binds variables to JSONPaths, an InputTemplate
 * places them as `<name>` (user guide, "Amazon EventBridge input transformation"; API reference,
 * InputTransformer). Compiled once when the rule is saved; rendered per delivery.
 *
 * Quoting rules (the doc's "Input transform examples", with outputs checked in
 * test/transform/aws-doc-examples.test.ts):
 * - A template that is valid JSON once its placeholders are bound is a JSON template; the target gets
 *   the JSON value (`application/json`).
 *   - A placeholder standing as a value (`{"state": <state>}`) is replaced by the value as JSON:
 *     strings quoted and escaped, numbers/booleans/null bare, objects and arrays as JSON.
 *   - A placeholder inside a JSON string (`"is in <state>"`) is replaced by the value as text:
 *     a string's characters, anything else its JSON text — escaped so the result stays valid JSON
 *     (EventBridge inserts the text unescaped, which breaks on a value with a quote: Herald does not).
 *   - A placeholder cannot be an object key (API reference: "The placeholder cannot be used as an
 *     object key").
 * - Any other template is a text template (`text/plain`): values are inserted raw — strings as they
 *   are, anything else as JSON text. A template surrounded by `{}` must be a valid JSON object.
 * - A path that matches nothing binds to the empty string: `""` as a JSON value, nothing inside a
 *   string or text (EventBridge's recorded behaviour: `"command": <command>` → `"command": ""`).
 */
import { HeraldError } from '../errors/index.js';
import { JsonPathError, evaluatePath, parseJsonPath, type CompiledPath } from './jsonpath.js';
import { TRANSFORM_LIMITS, type TransformContext, type TransformOutput } from './types.js';

/** EventBridge's predefined variables; they cannot be defined in InputPathsMap. */
export const RESERVED_VARIABLES = {
  'aws.events.rule-arn': 'the ARN of the rule',
  'aws.events.rule-name': 'the name of the rule',
  'aws.events.event.ingestion-time': 'when the bus stored the event (ISO 8601)',
  'aws.events.event': 'the event without its payload (`detail`, or `data`/`data_base64`), as JSON',
  'aws.events.event.json': 'the whole event, as JSON',
} as const;
export type ReservedVariable = keyof typeof RESERVED_VARIABLES;

const VARIABLE_NAME = /^[A-Za-z0-9_-]+$/;
/** Anything that looks like a placeholder; undefined names are an error, as in EventBridge. */
const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/y;

type Context = 'value' | 'string' | 'text';
type Part = { kind: 'text'; text: string } | { kind: 'var'; name: string; context: Context };

export interface CompiledTemplate {
  readonly mode: 'json' | 'text';
  readonly parts: readonly Part[];
  readonly variables: ReadonlyMap<string, CompiledPath>;
}

/** Validates and compiles an InputTransformer; throws HERALD_INVALID_REQUEST naming the field. */
export function compileTemplate(inputPathsMap: unknown, inputTemplate: unknown, field: string): CompiledTemplate {
  const variables = compileInputPathsMap(inputPathsMap, `${field}.inputPathsMap`);
  const templateField = `${field}.inputTemplate`;
  if (typeof inputTemplate !== 'string') fail('inputTemplate must be a string', templateField);
  if (inputTemplate.length < 1 || inputTemplate.length > TRANSFORM_LIMITS.maxTemplateLength) {
    fail(
      `inputTemplate must be 1 to ${TRANSFORM_LIMITS.maxTemplateLength} characters (it has ${inputTemplate.length})`,
      templateField,
    );
  }
  const { parts, keyPlaceholders } = scan(inputTemplate, templateField);
  for (const part of parts) {
    if (part.kind === 'var' && !variables.has(part.name) && !(part.name in RESERVED_VARIABLES)) {
      // EventBridge: "InputTemplate for target … contains invalid placeholder <name>."
      fail(`inputTemplate contains the placeholder <${part.name}>, which inputPathsMap does not define`, templateField);
    }
  }
  const probe = parts
    .map((p) => (p.kind === 'text' ? p.text : p.context === 'value' ? 'null' : ''))
    .join('');
  let json = true;
  try {
    JSON.parse(probe);
  } catch (error) {
    json = false;
    const trimmed = inputTemplate.trim();
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
      // A bare `{<k>: 1}` is never valid JSON: name the real mistake rather than the parse error.
      if (keyPlaceholders.length > 0) fail(`a placeholder cannot be used as an object key (<${keyPlaceholders[0]}>)`, templateField);
      fail(`inputTemplate is surrounded by {} but is not valid JSON: ${(error as Error).message}`, templateField);
    }
  }
  if (json && keyPlaceholders.length > 0) {
    fail(`a placeholder cannot be used as an object key (<${keyPlaceholders[0]}>)`, templateField);
  }
  return {
    mode: json ? 'json' : 'text',
    parts: json ? parts : parts.map((p) => (p.kind === 'var' ? { ...p, context: 'text' as const } : p)),
    variables,
  };
}

function compileInputPathsMap(input: unknown, field: string): Map<string, CompiledPath> {
  const variables = new Map<string, CompiledPath>();
  if (input === undefined || input === null) return variables;
  if (typeof input !== 'object' || Array.isArray(input)) fail('inputPathsMap must be an object of name → JSONPath', field);
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > TRANSFORM_LIMITS.maxInputPaths) {
    fail(`inputPathsMap has ${entries.length} entries; at most ${TRANSFORM_LIMITS.maxInputPaths} are allowed`, field);
  }
  for (const [name, path] of entries) {
    const entryField = `${field}.${name}`;
    if (name in RESERVED_VARIABLES || name.toLowerCase().startsWith('aws.')) {
      fail(`${name} is a reserved variable name and cannot be defined in inputPathsMap`, entryField);
    }
    if (!VARIABLE_NAME.test(name) || name.length > TRANSFORM_LIMITS.maxVariableNameLength) {
      fail(
        `variable name ${JSON.stringify(name)} must be 1 to ${TRANSFORM_LIMITS.maxVariableNameLength} of A-Z a-z 0-9 _ -`,
        entryField,
      );
    }
    if (typeof path !== 'string') fail(`the JSONPath of ${name} must be a string`, entryField);
    variables.set(name, compilePath(path, entryField));
  }
  return variables;
}

export function compilePath(path: string, field: string): CompiledPath {
  try {
    return parseJsonPath(path);
  } catch (error) {
    if (error instanceof JsonPathError) fail(`invalid JSONPath ${JSON.stringify(path)}: ${error.message}`, field);
    throw error;
  }
}

/**
 * Splits the template into text and placeholders and classifies each placeholder by where it stands
 * if the template is read as JSON: inside a string literal or as a value. Placeholders hold no quote
 * or backslash, so they never disturb the string tracking.
 */
function scan(template: string, field: string): { parts: Part[]; keyPlaceholders: string[] } {
  const parts: Part[] = [];
  const keyPlaceholders: string[] = [];
  let text = '';
  let inString = false;
  let stringVars: string[] = [];
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === '<') {
      PLACEHOLDER.lastIndex = i;
      const m = PLACEHOLDER.exec(template);
      if (m) {
        if (text) parts.push({ kind: 'text', text });
        text = '';
        const name = m[1]!;
        parts.push({ kind: 'var', name, context: inString ? 'string' : 'value' });
        if (inString) stringVars.push(name);
        else if (nextNonSpace(template, i + m[0].length) === ':') keyPlaceholders.push(name);
        i += m[0].length;
        continue;
      }
    }
    if (inString) {
      if (c === '\\') {
        text += template.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '"') {
        inString = false;
        if (stringVars.length > 0 && nextNonSpace(template, i + 1) === ':') keyPlaceholders.push(stringVars[0]!);
        stringVars = [];
      }
    } else if (c === '"') {
      inString = true;
    }
    text += c;
    i++;
  }
  if (text) parts.push({ kind: 'text', text });
  if (parts.length === 0) fail('inputTemplate is empty', field);
  return { parts, keyPlaceholders };
}

function nextNonSpace(text: string, from: number): string | undefined {
  for (let i = from; i < text.length; i++) {
    if (!/\s/.test(text[i]!)) return text[i];
  }
  return undefined;
}

function fail(message: string, field: string): never {
  throw new HeraldError('HERALD_INVALID_REQUEST', message, field);
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** A binding's value; `undefined` when its path matched nothing. */
type Bound = unknown;

export function renderTemplate(template: CompiledTemplate, document: unknown, ctx: TransformContext): TransformOutput {
  const cache = new Map<string, Bound>();
  const lookup = (name: string): Bound => {
    if (cache.has(name)) return cache.get(name);
    const value = bind(template, name, document, ctx);
    cache.set(name, value);
    return value;
  };
  let out = '';
  for (const part of template.parts) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const value = lookup(part.name);
    if (part.context === 'value') out += value === undefined ? '""' : JSON.stringify(value);
    else if (part.context === 'string') out += JSON.stringify(asText(value)).slice(1, -1);
    else out += asText(value);
  }
  if (template.mode === 'text') return { body: out, contentType: 'text/plain' };
  // Every substitution is a complete JSON value or escaped string content, and the template parsed
  // with placeholders stubbed at compile time, so this parse cannot fail for a compiled template.
  return { body: JSON.parse(out) as unknown, contentType: 'application/json' };
}

function asText(value: Bound): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function bind(template: CompiledTemplate, name: string, document: unknown, ctx: TransformContext): Bound {
  const path = template.variables.get(name);
  if (path !== undefined) {
    const result = evaluatePath(path, document);
    return result.found ? result.value : undefined;
  }
  switch (name as ReservedVariable) {
    case 'aws.events.rule-arn':
      return ctx.ruleArn;
    case 'aws.events.rule-name':
      return ctx.ruleName;
    case 'aws.events.event.ingestion-time':
      return ctx.ingestionTime;
    case 'aws.events.event.json':
      return document;
    case 'aws.events.event':
      return withoutPayload(document, ctx.view);
  }
  return undefined;
}

/**
 * `<aws.events.event>` is "the original event payload as JSON (without the detail field)" (user
 * guide, "Predefined variables"). In the cloudevent view the payload is `data` / `data_base64`.
 */
function withoutPayload(document: unknown, view: TransformContext['view']): unknown {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const record = document as Record<string, unknown>;
  const isCloudEvent = view === undefined ? 'specversion' in record : view === 'cloudevent';
  const drop = isCloudEvent ? ['data', 'data_base64'] : ['detail'];
  return Object.fromEntries(Object.entries(record).filter(([key]) => !drop.includes(key)));
}
