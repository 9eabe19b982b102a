import { ClientEnvelopeDto, PAYLOAD_CLASSES, ParsedEnvelope } from '@ioa/protocol';
import { isPlainObject, parseDto } from '../../foundation/http/api-error';

/**
 * The envelope, then its payload by the class of its type. The payload is copied once, by that class: the envelope
 * pass sees an empty stand-in (it checks only that a payload object is there), so the hot path does not transform
 * every payload twice.
 */
export function parseEnvelope(raw: unknown): ParsedEnvelope {
  const payload = isPlainObject(raw) ? raw.payload : undefined;
  const standIn = isPlainObject(payload) ? { ...raw as object, payload: {} } : raw;
  const envelope = parseDto(ClientEnvelopeDto, standIn, undefined, 'the envelope');
  const payloadClass = PAYLOAD_CLASSES[envelope.header.type as keyof typeof PAYLOAD_CLASSES];
  // team_formation has no class here: the team-formation layer parses its payload.
  envelope.payload = (payloadClass ? parseDto(payloadClass as new () => object, payload, 'payload') : payload) as Record<string, unknown>;
  // The payload now has its type's class (or is team formation's to parse): the union's one cast, here.
  return Object.assign(envelope, { type: envelope.header.type }) as unknown as ParsedEnvelope;
}
