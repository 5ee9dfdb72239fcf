import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT } from '../client.js';
import { print } from '../output.js';
import { applyConfigFile, formatPlan, isConfigFileError, type ConfigFileError } from '../../config-file/index.js';
import { clientOf, formatOf, type Values } from './common.js';

const USAGE = 'apply -f herald.yaml [--dry-run] [--prune] [--update-connections]';

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Make the server match a herald.yaml: connections, buses, sources and rules (plan, then apply).',
  usage: USAGE,
  details:
    'Prints the plan as a diff (+ create, ~ update, - delete) and makes it. Applying the same file\n' +
    'again changes nothing. --dry-run only prints the plan. Without --prune nothing is deleted; with\n' +
    'it, rules (and buses other than default) the file does not name are deleted, and so are sources and\n' +
    'connections when the file has those sections. The server never shows secrets, so a changed secret\n' +
    'value is only rewritten with --update-connections. ${VAR} in secrets and source configs reads the\n' +
    'environment. docs/configuration.md describes the file.\n\n' +
    'Exit codes: 0 applied (or nothing to do), 1 the server refused a change, 2 the file is invalid,\n' +
    '3 cannot connect.\n\n' +
    'Examples:\n' +
    '  herald apply -f examples/orders/herald.yaml --dry-run\n' +
    '  herald apply -f herald.yaml --prune',
  options: { ...CLIENT_OPTIONS, file: { type: 'string', short: 'f' }, 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' }, 'update-connections': { type: 'boolean' } },
  async run(positionals, raw) {
    const values = raw as Values;
    if (typeof values.file !== 'string' || positionals.length > 0) throw new CliError(`Usage: herald ${USAGE}`, EXIT.usage);
    const format = formatOf(values);
    const { server } = clientOf(values);
    try {
      const result = await applyConfigFile(values.file, {
        server,
        dryRun: values['dry-run'] === true,
        prune: values.prune === true,
        updateConnections: values['update-connections'] === true,
        onProgress: (line) => process.stderr.write(`${line}\n`),
      });
      if (format === 'table') process.stdout.write(formatPlan(result));
      else print(format, result);
    } catch (error) {
      if (isConfigFileError(error)) throw new CliError(error.message, exitCodeOf(error));
      throw error;
    }
  },
};

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
