"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ownerOf = void 0;
exports.agentDocuments = agentDocuments;
/**
 * An agent is searched as several documents, its description and each capability separately (as IoA does per
 * capability), so that a narrow capability of a broad agent is still found.
 */
function agentDocuments(a) {
    const nameWords = a.name.replace(/-/g, ' ');
    const description = {
        id: `${a.id}#d`, owner: a.id, field: 'description', text: [nameWords, a.description, a.skills.join(', ')].filter(Boolean).join('. '),
    };
    const capabilities = a.capabilities.map((c, i) => ({
        id: `${a.id}#c${i}`, owner: a.id, field: c.name, text: `${c.name.replace(/_/g, ' ')}: ${c.description}`,
    }));
    return [description, ...capabilities];
}
const ownerOf = (docId) => docId.slice(0, docId.lastIndexOf('#'));
exports.ownerOf = ownerOf;
//# sourceMappingURL=agent-documents.js.map