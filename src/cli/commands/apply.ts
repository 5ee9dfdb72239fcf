import { createInterface } from 'node:readline/promises';
import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT } from '../client.js';
import { print } from '../output.js';
import { applyParsed, changesOf, formatPlan, isConfigFileError, loadConfigFile, type ApplyResult, type ConfigFileError } from '../../config-file/index.js';
import { describeItem } from '../../config-file/format.js';
import { itemKey } from '../../state/index.js';
import { clientOf, formatOf, type Values } from './common.js';

const USAGE = 'apply -f herald.yaml [--dry-run] [--prune] [--yes] [--update-connections]';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Make the server match a herald.yaml: connections, buses, sources and rules (plan, then apply).',
  usage: USAGE,
  details:
    'Prints the plan first as a diff (+ create, ~ update, - delete), then applies it. The server checks\n' +
    'the whole file with the same validation as its API and applies all of it in one transaction, or\n' +
    'nothing: a refusal names each fault as file:line:col. Applying the same file again changes nothing.\n' +
    'A plan that deletes anything (--prune) asks for confirmation in a terminal; elsewhere it needs --yes.\n' +
    'With --prune, rules (and buses other than default, with their events) that the file does not name\n' +
    'are deleted, and so are sources and connections when the file has those sections. The server never\n' +
    'shows secrets, so a changed secret value is only rewritten with --update-connections. ${VAR} in\n' +
    'secrets and source configs reads the environment. docs/configuration.md describes the file.\n\n' +
    'Exit codes: 0 applied (or nothing to do), 1 the server refused the file (nothing was changed) or the\n' +
    'confirmation was declined, 2 the file is invalid or a destructive plan lacks --yes, 3 cannot connect.\n\n' +
    'Examples:\n' +
    '  herald apply -f examples/orders/herald.yaml --dry-run\n' +
    '  herald apply -f herald.yaml --prune --yes',
  options: {
    ...CLIENT_OPTIONS,
    file: { type: 'string', short: 'f', description: 'the herald.yaml to apply (required)' },
    'dry-run': { type: 'boolean', description: 'validate on the server and print the plan; change nothing', default: false },
    prune: { type: 'boolean', description: 'delete what the file does not name (buses with their events, rules, sources, connections)', default: false },
    yes: { type: 'boolean', short: 'y', description: 'apply a plan that deletes without asking', default: false },
    'update-connections': { type: 'boolean', description: 'rewrite every declared connection (secret values cannot be compared)', default: false },
  },
  async run(positionals, raw) {
    const values = raw as Values;
    if (typeof values.file !== 'string' || positionals.length > 0) throw new CliError(`Usage: herald ${USAGE}`, EXIT.usage);
    const format = formatOf(values);
    const { server } = clientOf(values);
    const options = { server, prune: values.prune === true, updateConnections: values['update-connections'] === true };
    try {
      const file = await loadConfigFile(values.file);
      // The plan is the server's, made by the same validation as the apply: shown before anything changes.
      const planned = await applyParsed(file, { ...options, dryRun: true });
      const changes = changesOf(planned.plan);
      const dryRun = values['dry-run'] === true;
      // Nothing to do is an apply that made no change, not a dry run (its output must not say so).
      if (dryRun || changes.length === 0) return show(format, { ...planned, dryRun });
      if (format === 'table') process.stdout.write(formatPlan(planned, { footer: false }));
      const deletes = changes.filter((item) => item.action === 'delete');
      if (deletes.length > 0 && values.yes !== true) await confirm(deletes.map(describeItem));
      // Only what was shown may be deleted: had the server changed since, the apply is refused whole.
      const result = await applyParsed(file, { ...options, dryRun: false, confirmDeletes: deletes.map(itemKey) });
      if (format === 'table') process.stdout.write(`Applied ${result.applied} change${result.applied === 1 ? '' : 's'} in one transaction.\n`);
      else print(format, result);
    } catch (error) {
      if (isConfigFileError(error)) throw new CliError(error.message, exitCodeOf(error));
      throw error;
    }
  },
};

function show(format: ReturnType<typeof formatOf>, result: ApplyResult): void {
  if (format === 'table') process.stdout.write(formatPlan(result));
  else print(format, result);
}

/**
 * Deleting a bus deletes its events: a plan that deletes needs `--yes`, or a "yes" typed in a
 * terminal (issue 10, item 6: "--prune deleted a bus and its events without asking").
 */
async function confirm(deletes: string[]): Promise<void> {
  const what = `the plan deletes ${deletes.length} item${deletes.length === 1 ? '' : 's'} (${deletes.join(', ')})`;
  if (!process.stdin.isTTY) throw new CliError(`${what}; nothing was changed: pass --yes to apply it without a terminal`, EXIT.usage);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${what}. Deleted buses lose their events. Type "yes" to apply: `);
    if (answer.trim().toLowerCase() !== 'yes') throw new CliError('apply cancelled; nothing was changed', EXIT.refused);
  } finally {
    prompt.close();
  }
}

function exitCodeOf(error: ConfigFileError): number {
  switch (error.code) {
    case 'HERALD_APPLY_UNREACHABLE':
      return EXIT.unreachable;
    case 'HERALD_APPLY_REFUSED':
      return EXIT.refused;
    default:
      return EXIT.usage;
  }
}
