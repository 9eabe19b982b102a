"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.VECTOR_STORE = void 0;
exports.collectionName = collectionName;
exports.VECTOR_STORE = Symbol('VECTOR_STORE');
/** Collections are named per model and dimension, so a model change never mixes incompatible vectors. */
function collectionName(modelId, dimension) {
    return `agents_${modelId.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}_${dimension}`;
}
//# sourceMappingURL=vector-store.port.js.map