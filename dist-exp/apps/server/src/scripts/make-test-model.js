"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_util_1 = require("node:util");
const test_model_1 = require("../foundation/embeddings/test-model");
const USAGE = 'usage: make-test-model <dir> [--dimension N] [--seed N] [--extra-words word,word]';
/** Writes the tiny offline test model (see test-model.ts) into <dir>, for e2e suites and benchmarks. */
async function main() {
    const { positionals, values } = (0, node_util_1.parseArgs)({
        allowPositionals: true,
        options: { dimension: { type: 'string' }, seed: { type: 'string' }, 'extra-words': { type: 'string' } },
    });
    if (positionals.length !== 1)
        throw new Error(USAGE);
    const dir = await (0, test_model_1.writeTestModel)(positionals[0], {
        dimension: integer(values.dimension, 'dimension'),
        seed: integer(values.seed, 'seed'),
        extraWords: values['extra-words']?.split(',').filter(Boolean),
    });
    console.log(dir);
}
function integer(value, name) {
    if (value === undefined)
        return undefined;
    const n = Number(value);
    if (!Number.isInteger(n))
        throw new Error(`--${name} must be an integer (got ${value})`);
    return n;
}
main().catch((e) => {
    console.error(`make-test-model failed: ${e.message}`);
    process.exit(1);
});
//# sourceMappingURL=make-test-model.js.map