/** The wire protocol's name and major version, carried in every envelope header. */
export const PROTOCOL_VERSION = 'ioa/1';
/** Prefix of every versioned REST route. */
export const API_PREFIX = 'v1';
