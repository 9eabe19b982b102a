"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.API_PREFIX = exports.PROTOCOL_VERSION = void 0;
/** The wire protocol's name and major version, carried in every envelope header. */
exports.PROTOCOL_VERSION = 'ioa/1';
/** Prefix of every versioned REST route. */
exports.API_PREFIX = 'v1';
//# sourceMappingURL=version.js.map