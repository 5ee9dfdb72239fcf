/**
 * Another Herald bus as a target: local (the same store) or remote (`url` of another Herald, over
 * HTTP in structured mode). The event keeps its id and source, so the far bus dedupes redeliveries.
 */
import { request } from 'undici';
import { HeraldError } from '../../../errors/index.js';
import { invalidConfig, validateConfig } from '../../config.js';
import type { CloudEvent } from '../../../events/types.js';
import type { EventLog } from '../../../store/index.js';
import { PermanentError, RetryableError } from '../../../delivery/errors.js';
import type { OutboundMessage, TargetConnector } from '../../types.js';

export interface BusTargetConfig {
  bus: string;
  /** Base URL of a remote Herald (e.g. http://10.0.0.5:8740); unset: this Herald. */
  url?: string;
}

const BUS_TARGET_SCHEMA = {
  type: 'object',
  required: ['bus'],
  additionalProperties: false,
  properties: {
    bus: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,256}$', description: 'The bus to append to.' },
    url: { type: 'string', format: 'uri', description: 'Base URL of a remote Herald; unset: this Herald.' },
  },
} as const;

export function createBusTarget(events: EventLog): TargetConnector<BusTargetConfig> {
  return {
    kind: 'target',
    name: 'bus',
    description: 'Another Herald bus, local or remote',
    configSchema: BUS_TARGET_SCHEMA,
    validate(raw) {
      const config = validateConfig<BusTargetConfig>(BUS_TARGET_SCHEMA, raw);
      if (config.url !== undefined && !/^https?:$/.test(new URL(config.url).protocol)) invalidConfig('config.url', 'must be an http: or https: URL');
      return { bus: config.bus, ...(config.url ? { url: config.url.replace(/\/+$/, '') } : {}) };
    },
    async create(config) {
      return {
        async send(messages: OutboundMessage[]) {
          const forwarded = messages.map(eventOf);
          if (!config.url) {
            try {
              await events.append(config.bus, forwarded);
            } catch (error) {
              if (error instanceof HeraldError && error.code === 'HERALD_BUS_NOT_FOUND') throw new PermanentError(error.message, 'HERALD_TARGET_REJECTED');
              throw new RetryableError(error instanceof Error ? error.message : String(error));
            }
            return;
          }
          let status: number;
          try {
            const response = await request(`${config.url}/v1/buses/${encodeURIComponent(config.bus)}/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/cloudevents-batch+json' },
              body: JSON.stringify(forwarded),
            });
            status = response.statusCode;
            await response.body.dump();
          } catch (error) {
            throw new RetryableError(`remote bus unreachable: ${(error as Error).message}`);
          }
          if (status >= 500 || status === 429) throw new RetryableError(`remote bus answered ${status}`);
          if (status >= 300) throw new PermanentError(`remote bus answered ${status}`);
        },
        async close() {},
      };
    },
  };
}

/** The forwarded event: the original, or — after a transform — the original's attributes with the new data. */
function eventOf(message: OutboundMessage): CloudEvent {
  if (message.wholeEvent) return message.event;
  const { data: _d, data_base64: _b, ...attributes } = message.event;
  return { ...attributes, datacontenttype: message.contentType ?? 'application/json', data: message.body } as CloudEvent;
}
