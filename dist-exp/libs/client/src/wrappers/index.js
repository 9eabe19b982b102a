"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.llmAgent = exports.scriptedAgent = exports.ScriptError = exports.loadScript = exports.httpAgent = exports.fromA2A = exports.TRUNCATED_MARKER = exports.commandAgent = void 0;
var command_agent_1 = require("./command-agent");
Object.defineProperty(exports, "commandAgent", { enumerable: true, get: function () { return command_agent_1.commandAgent; } });
Object.defineProperty(exports, "TRUNCATED_MARKER", { enumerable: true, get: function () { return command_agent_1.TRUNCATED_MARKER; } });
var http_agent_1 = require("./http-agent");
Object.defineProperty(exports, "fromA2A", { enumerable: true, get: function () { return http_agent_1.fromA2A; } });
Object.defineProperty(exports, "httpAgent", { enumerable: true, get: function () { return http_agent_1.httpAgent; } });
var scripted_agent_1 = require("./scripted-agent");
Object.defineProperty(exports, "loadScript", { enumerable: true, get: function () { return scripted_agent_1.loadScript; } });
Object.defineProperty(exports, "ScriptError", { enumerable: true, get: function () { return scripted_agent_1.ScriptError; } });
Object.defineProperty(exports, "scriptedAgent", { enumerable: true, get: function () { return scripted_agent_1.scriptedAgent; } });
var llm_agent_1 = require("./llm-agent");
Object.defineProperty(exports, "llmAgent", { enumerable: true, get: function () { return llm_agent_1.llmAgent; } });
//# sourceMappingURL=index.js.map