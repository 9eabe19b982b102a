"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EMBEDDER = void 0;
exports.EMBEDDER = Symbol('EMBEDDER');
//# sourceMappingURL=embedder.port.js.map