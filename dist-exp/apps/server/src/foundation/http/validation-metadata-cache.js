"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.memoizeValidationMetadata = memoizeValidationMetadata;
const class_validator_1 = require("class-validator");
/**
 * class-validator resolves a class's validation rules again on every `validate` call, scanning every decorated class
 * for ancestors (typestack/class-validator#2686, open), then groups them by property; on a socket message's hot path
 * the scan was the largest single cost of validation and the grouping a large share of its garbage. A class's rules,
 * its inherited ones included, are all registered when the class is loaded, before anything can validate it, so the
 * lookup is memoised per class and options, and the grouping per looked-up list (the validator only reads both).
 */
function memoizeValidationMetadata() {
    const storage = (0, class_validator_1.getMetadataStorage)();
    if (storage.getTargetValidationMetadatas.memoized)
        return;
    const lookup = storage.getTargetValidationMetadatas.bind(storage);
    const cache = new WeakMap();
    const memoized = (target, schema, always, strictGroups, groups) => {
        let byOptions = cache.get(target);
        if (!byOptions)
            cache.set(target, (byOptions = new Map()));
        const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
        let rules = byOptions.get(key);
        if (!rules)
            byOptions.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
        return rules;
    };
    storage.getTargetValidationMetadatas = Object.assign(memoized, { memoized: true });
    const group = storage.groupByPropertyName.bind(storage);
    const grouped = new WeakMap();
    storage.groupByPropertyName = (rules) => {
        let byProperty = grouped.get(rules);
        if (!byProperty)
            grouped.set(rules, (byProperty = group(rules)));
        return byProperty;
    };
}
//# sourceMappingURL=validation-metadata-cache.js.map