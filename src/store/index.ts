export type * from './types.js';
export { BUS_NAME, DEFAULT_BUS, DELIVERY_STATES } from './types.js';
export { openSqliteStore, type SqliteStore } from './sqlite/index.js';
export { checkName } from './sqlite/buses.js';
