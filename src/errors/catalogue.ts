/**
 * The one catalogue of Herald's error codes, with the HTTP status each answers with and a line
 * for docs/errors.md (a test checks that every code here is documented there).
 */
export const ERRORS = {
  HERALD_MALFORMED_REQUEST: { status: 400, doc: 'The request body or headers cannot be parsed (bad JSON, bad percent-encoding, a batch that is not an array).' },
  HERALD_INVALID_EVENT: { status: 422, doc: 'An event breaks CloudEvents 1.0: a missing or invalid attribute, a bad extension name, `data` with `data_base64`, a number a 64-bit float cannot hold as sent.' },
  HERALD_EVENT_TOO_LARGE: { status: 413, doc: 'One event is larger than the per-event limit (its structured JSON form).' },
  HERALD_REQUEST_TOO_LARGE: { status: 413, doc: 'The request body is larger than the per-request limit.' },
  HERALD_BATCH_TOO_LARGE: { status: 413, doc: 'A batch holds more events than the per-batch limit.' },
  HERALD_TOO_DEEP: { status: 400, doc: 'Input nests deeper than the limit: JSON (an event, a request body: `--max-json-depth`, default 64), an event pattern, a Subscriptions filter or a CloudEvents SQL expression (64 levels); the message names the limit and `field` where it was crossed.' },
  HERALD_UNSUPPORTED_MEDIA_TYPE: { status: 415, doc: 'The Content-Type is not one Herald ingests.' },
  HERALD_BUS_NOT_FOUND: { status: 404, doc: 'No bus has that name.' },
  HERALD_BUS_EXISTS: { status: 409, doc: 'A bus with that name already exists.' },
  HERALD_BUS_NOT_EMPTY: { status: 409, doc: 'The bus still has rules; delete them first or pass `force=true`.' },
  HERALD_BUS_PROTECTED: { status: 409, doc: 'The `default` bus cannot be deleted.' },
  HERALD_INVALID_NAME: { status: 400, doc: 'A name does not match `[A-Za-z0-9._-]{1,256}`.' },
  HERALD_INVALID_REQUEST: { status: 400, doc: 'A request parameter or body field is invalid; `field` names it.' },
  HERALD_NOT_FOUND: { status: 404, doc: 'No such route or resource.' },
  HERALD_STORE_FULL: { status: 507, doc: 'The store has no space left; nothing in this request was stored. Retry after retention frees space or the cap is raised.' },
  HERALD_STORE_UNAVAILABLE: { status: 503, doc: 'The store failed or is shutting down; nothing in this request was acknowledged.' },
  HERALD_DATA_DIR_LOCKED: { status: 503, doc: 'At start: another Herald process (its pid is named) holds the data dir; one process per data dir. Stop it or use another `--data-dir`.' },
  HERALD_STORE_TOO_NEW: { status: 503, doc: 'At start: a newer Herald migrated the store past the schema versions this one knows. Run a newer Herald, or restore the backup taken before the upgrade.' },
  HERALD_PORT_IN_USE: { status: 503, doc: 'At start: the listen address (host and port) is already in use; nothing was started. Stop the other listener or pick another `--port`.' },
  HERALD_SHUTTING_DOWN: { status: 503, doc: 'The server is shutting down and accepts no new events.' },
  HERALD_INVALID_PATTERN: { status: 400, doc: 'An event pattern is invalid; `field` is the path in the pattern.' },
  HERALD_INVALID_FILTER: { status: 400, doc: 'A filter (pattern, CloudEvents SQL or Subscriptions dialects) is invalid.' },
  HERALD_RULE_NOT_FOUND: { status: 404, doc: 'No rule has that name on the bus.' },
  HERALD_RULE_EXISTS: { status: 409, doc: 'A rule with that name already exists on the bus (create only; PUT replaces).' },
  HERALD_TARGET_NOT_FOUND: { status: 404, doc: 'The rule has no target with that id.' },
  HERALD_DELIVERY_NOT_FOUND: { status: 404, doc: 'No delivery (or dead letter) has that id on the bus.' },
  HERALD_EVENT_NOT_FOUND: { status: 404, doc: 'No event has that sequence (or source and id) on the bus; it may have expired.' },
  HERALD_INVALID_TRANSFORM: { status: 400, doc: 'A target transform is invalid; `field` names the part.' },
  HERALD_INTERNAL: { status: 500, doc: 'An unexpected fault inside Herald; the log has the details.' },
} as const satisfies Record<string, { status: number; doc: string }>;

export type ErrorCode = keyof typeof ERRORS;
