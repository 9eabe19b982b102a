import { AgentCard, AgentInterface } from '@a2a-js/sdk';
import { isLegacyAgentCard, parseLegacyAgentCard } from '@a2a-js/sdk/compat/v0_3/client';
import { CapabilityDto, ErrorCode, LIMITS, RegisterAgentDto } from '@ioa/protocol';
import { ApiError, parseDto } from '../../../foundation/http/api-error';
import { OutboundPolicy, OutboundRefused } from '../../../foundation/integration/outbound';

/** A card bigger than this is refused unread. */
const CARD_BYTES_MAX = 256 * 1024;

/** A remote A2A agent's card as read: the card (A2A 1.0 shape), its JSON-RPC endpoint and the version spoken there. */
export interface RemoteCard {
  card: AgentCard;
  endpoint: string;
  version: '1.0' | '0.3';
  /** The card's interface that is called (endpoint resolved), the one the A2A client is given. */
  iface: AgentInterface;
}

/**
 * Fetches and reads an A2A agent card (1.0, or 0.3 translated by the A2A SDK) under the outbound policy, and picks
 * the JSON-RPC interface it will be called at (1.0 preferred). The endpoint must be on the card's origin unless
 * `crossOrigin`, and its host must pass the policy too. Every refusal is an ApiError saying why.
 */
export async function readCard(policy: OutboundPolicy, cardUrl: string, timeoutMs: number, crossOrigin = false): Promise<RemoteCard> {
  if (!URL.canParse(cardUrl)) throw new ApiError(ErrorCode.VALIDATION, `card_url: ${cardUrl.slice(0, 100)} is not a URL`);
  const raw = await fetchJson(policy, cardUrl, timeoutMs);
  let card: AgentCard;
  try {
    card = isLegacyAgentCard(raw) ? parseLegacyAgentCard(raw) : AgentCard.fromJSON(raw);
  } catch (e) {
    throw new ApiError(ErrorCode.VALIDATION, `${cardUrl} is not an A2A agent card: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!card.name?.trim()) throw new ApiError(ErrorCode.VALIDATION, `the agent card at ${cardUrl} has no name`);
  const rpc = card.supportedInterfaces.filter((i) => i.protocolBinding === 'JSONRPC' && /^(1\.0|0\.3)/.test(i.protocolVersion || '1.0'));
  const chosen = rpc.find((i) => (i.protocolVersion || '1.0').startsWith('1.0')) ?? rpc[0];
  if (!chosen) throw new ApiError(ErrorCode.VALIDATION, `the agent card at ${cardUrl} names no JSON-RPC interface of A2A 1.0 or 0.3`);
  const endpoint = new URL(chosen.url, cardUrl).href;
  if (!crossOrigin && new URL(endpoint).origin !== new URL(cardUrl).origin) {
    throw new ApiError(ErrorCode.FORBIDDEN, `the card names an endpoint on another origin (${new URL(endpoint).origin}); an admin may allow it with allow_cross_origin`);
  }
  const refused = policy.refusal(endpoint);
  if (refused) throw new ApiError(ErrorCode.FORBIDDEN, refused);
  const version = (chosen.protocolVersion || '1.0').startsWith('0.3') ? '0.3' : '1.0';
  return { card, endpoint, version, iface: { ...chosen, url: endpoint, protocolVersion: version } };
}

/** The registry card of a hosted agent: its skills are its capabilities, cut to the registry's limits. */
export function registryCard(remote: RemoteCard, name: string): RegisterAgentDto {
  const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
  const capabilities: CapabilityDto[] = remote.card.skills.slice(0, LIMITS.capabilitiesMax).map((s) => ({
    name: cut(s.name || s.id, LIMITS.capabilityNameMax), description: cut(s.description || s.name || s.id, LIMITS.capabilityDescriptionMax),
  }));
  return parseDto(RegisterAgentDto, {
    name, description: cut(remote.card.description || remote.card.name, LIMITS.descriptionMax), capabilities,
    ...(remote.card.version ? { version: cut(remote.card.version, LIMITS.skillMax) } : {}),
    interface: { kind: 'a2a', endpoint: remote.endpoint }, coordinates: false,
  }, undefined, 'the card');
}

/** A slug for the registry from a card's name (`Currency Converter` → `currency-converter`). */
export function slugOf(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, LIMITS.nameMax).replace(/-+$/, '');
  return slug.length >= LIMITS.nameMin ? slug : `a2a-${slug || 'agent'}`;
}

async function fetchJson(policy: OutboundPolicy, url: string, timeoutMs: number): Promise<unknown> {
  const refused = policy.refusal(url);
  if (refused) throw new ApiError(ErrorCode.FORBIDDEN, refused);
  let res;
  try {
    res = await policy.fetch(url, { headers: { accept: 'application/json', 'A2A-Version': '1.0' }, timeoutMs });
  } catch (e) {
    // Refused by the policy (a private address, a redirect), or not reached at all.
    const refused = [e, (e as { cause?: unknown }).cause].find((x): x is OutboundRefused => x instanceof OutboundRefused);
    if (refused) throw new ApiError(ErrorCode.FORBIDDEN, refused.message);
    throw new ApiError(ErrorCode.UNAVAILABLE, `${url} could not be fetched: ${(e as Error).message}`);
  }
  if (!res.ok) throw new ApiError(ErrorCode.UNAVAILABLE, `${url} answered ${res.status}`);
  if (Number(res.headers.get('content-length') ?? 0) > CARD_BYTES_MAX) throw new ApiError(ErrorCode.VALIDATION, `the card at ${url} is larger than ${CARD_BYTES_MAX} bytes`);
  const text = await res.text();
  if (text.length > CARD_BYTES_MAX) throw new ApiError(ErrorCode.VALIDATION, `the card at ${url} is larger than ${CARD_BYTES_MAX} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(ErrorCode.VALIDATION, `${url} did not answer JSON`);
  }
}
