"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AGENT_NAME_PATTERN = exports.LIMITS = void 0;
/** Bounds on inputs, shared by validation on the server and by clients that want to check early. */
exports.LIMITS = {
    nameMin: 2,
    nameMax: 63,
    descriptionMax: 2000,
    capabilityNameMax: 100,
    capabilityDescriptionMax: 1000,
    capabilitiesMax: 32,
    skillsMax: 32,
    skillMax: 64,
    shortTextMax: 200,
    urlMax: 2048,
    modalitiesMax: 16,
    metadataBytesMax: 8192,
    queryMax: 1000,
    topKMax: 100,
    excludeMax: 1000,
    pageSizeMax: 500,
    ttlSecondsMax: 365 * 24 * 3600,
    maxUsesMax: 100000,
    scopeItemsMax: 100,
    bodyBytesMax: 256 * 1024,
};
exports.AGENT_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
//# sourceMappingURL=limits.js.map