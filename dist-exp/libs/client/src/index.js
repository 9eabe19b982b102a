"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.runAgent = exports.agentIdOf = exports.ErrorCode = exports.isIoAError = exports.IoAError = exports.RestClient = exports.IoAClient = void 0;
// The agent SDK of ioa: a typed socket + REST client and a runner for agents written as a few callbacks.
var client_1 = require("./client");
Object.defineProperty(exports, "IoAClient", { enumerable: true, get: function () { return client_1.IoAClient; } });
var rest_1 = require("./rest");
Object.defineProperty(exports, "RestClient", { enumerable: true, get: function () { return rest_1.RestClient; } });
var errors_1 = require("./errors");
Object.defineProperty(exports, "IoAError", { enumerable: true, get: function () { return errors_1.IoAError; } });
Object.defineProperty(exports, "isIoAError", { enumerable: true, get: function () { return errors_1.isIoAError; } });
var protocol_1 = require("../../protocol/src");
Object.defineProperty(exports, "ErrorCode", { enumerable: true, get: function () { return protocol_1.ErrorCode; } });
var credentials_1 = require("./credentials");
Object.defineProperty(exports, "agentIdOf", { enumerable: true, get: function () { return credentials_1.agentIdOf; } });
var agent_1 = require("./agent");
Object.defineProperty(exports, "runAgent", { enumerable: true, get: function () { return agent_1.runAgent; } });
__exportStar(require("./wrappers"), exports);
//# sourceMappingURL=index.js.map