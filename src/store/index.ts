export type { AppendResult, BusRecord, BusSettings, BusStore, EventLog, Store } from './types.js';
export { BUS_NAME, DEFAULT_BUS } from './types.js';
export { openSqliteStore, type SqliteStore } from './sqlite/index.js';
export { checkName } from './sqlite/buses.js';
