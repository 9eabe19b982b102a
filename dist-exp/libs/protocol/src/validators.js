"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IsBoundedJsonObject = IsBoundedJsonObject;
exports.HasNamespacedKeys = HasNamespacedKeys;
const class_validator_1 = require("class-validator");
/** A plain JSON object whose serialised form stays under `max` bytes. */
function IsBoundedJsonObject(max, options) {
    return (target, propertyName) => (0, class_validator_1.registerDecorator)({
        name: 'isBoundedJsonObject',
        target: target.constructor,
        propertyName,
        options: { message: `$property must be a JSON object of at most ${max} bytes`, ...options },
        validator: {
            validate(value) {
                if (value === null || typeof value !== 'object' || Array.isArray(value))
                    return false;
                try {
                    return Buffer.byteLength(JSON.stringify(value)) <= max;
                }
                catch {
                    return false;
                }
            },
        },
    });
}
const NAMESPACED = /^[a-z0-9][a-z0-9-]*\.[A-Za-z0-9_.-]+$/;
/** Every key of the object is namespaced, `vendor.key`, so that extensions from different parties cannot collide. */
function HasNamespacedKeys(options) {
    return (target, propertyName) => (0, class_validator_1.registerDecorator)({
        name: 'hasNamespacedKeys',
        target: target.constructor,
        propertyName,
        options: { message: '$property keys must be namespaced as vendor.key', ...options },
        validator: {
            validate: (value) => !!value && typeof value === 'object' && Object.keys(value).every((k) => NAMESPACED.test(k)),
        },
    });
}
//# sourceMappingURL=validators.js.map