"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LEXICAL_INDEX = void 0;
exports.LEXICAL_INDEX = Symbol('LEXICAL_INDEX');
//# sourceMappingURL=lexical-index.token.js.map