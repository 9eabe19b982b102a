import type { CapabilityDto } from '@ioa/protocol';

export interface AgentCardText {
  id: string;
  name: string;
  description: string;
  skills: string[];
  capabilities: CapabilityDto[];
}

export interface AgentDocument {
  /** `<agent id>#d` for the description, `<agent id>#c<i>` for capability i. */
  id: string;
  owner: string;
  /** The capability name, or `description`: what a search result says it matched. */
  field: string;
  text: string;
}

/**
 * An agent is searched as several documents, its description and each capability separately (as IoA does per
 * capability), so that a narrow capability of a broad agent is still found.
 */
export function agentDocuments(a: AgentCardText): AgentDocument[] {
  const nameWords = a.name.replace(/-/g, ' ');
  const description: AgentDocument = {
    id: `${a.id}#d`, owner: a.id, field: 'description', text: [nameWords, a.description, a.skills.join(', ')].filter(Boolean).join('. '),
  };
  const capabilities = a.capabilities.map((c, i) => ({
    id: `${a.id}#c${i}`, owner: a.id, field: c.name, text: `${c.name.replace(/_/g, ' ')}: ${c.description}`,
  }));
  return [description, ...capabilities];
}

export const ownerOf = (docId: string): string => docId.slice(0, docId.lastIndexOf('#'));
