import { randomUUID } from 'node:crypto';
import { DiscussionPayload, ErrorCode } from '@ioa/protocol';
import { ApiError } from '../../foundation/http/api-error';
import { parseEnvelope } from './session.service';

const header = (type: string) => ({ protocol: 'ioa/1', message_id: randomUUID(), group_id: randomUUID(), type });

function refusal(raw: unknown): ApiError {
  try {
    parseEnvelope(raw);
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('accepted');
}

describe('parseEnvelope', () => {
  it('returns the payload as an instance of its type\'s class, with exactly the fields sent', () => {
    const payload = { content: 'hello', next_speaker: [randomUUID()], next_state: 'conclusion' };
    const envelope = parseEnvelope({ header: header('discussion'), payload, ext: { 'acme.trace': 'x' } });
    expect(envelope.payload).toBeInstanceOf(DiscussionPayload);
    expect({ ...envelope.payload }).toEqual(payload);
    expect(envelope.payload).not.toBe(payload);
    expect(envelope.ext).toEqual({ 'acme.trace': 'x' });
  });

  it('refuses unknown or invalid payload fields under their payload path', () => {
    const extra = refusal({ header: header('discussion'), payload: { content: 'hi', next_speaker: [], surprise: 1 } });
    expect(extra.code).toBe(ErrorCode.VALIDATION);
    expect(extra.fields?.map((f) => f.field)).toEqual(['payload.surprise']);
    const wrong = refusal({ header: header('conclusion'), payload: { summary: 7 } });
    expect(wrong.fields?.map((f) => f.field)).toEqual(['payload.summary']);
  });

  it('refuses a payload that is not an object, or missing, as the envelope\'s own field', () => {
    for (const payload of ['text', [1], null, undefined]) {
      const e = refusal({ header: header('discussion'), payload });
      expect(e.code).toBe(ErrorCode.VALIDATION);
      expect(e.fields?.some((f) => f.field === 'payload')).toBe(true);
    }
    expect(refusal('not an envelope').code).toBe(ErrorCode.VALIDATION);
  });

  it('checks the header before the payload and leaves team_formation payloads to team formation', () => {
    expect(refusal({ header: { ...header('discussion'), sender: 'forged' }, payload: { content: 'hi', next_speaker: [] } }).fields?.map((f) => f.field)).toEqual(['header.sender']);
    const payload = { goal: 'anything', team_members: [] };
    expect(parseEnvelope({ header: header('team_formation'), payload }).payload).toBe(payload);
  });

  it('keeps ext as sent, and answers VALIDATION for shapes class-transformer cannot copy', () => {
    const ext = { 'acme.meta': { constructor: 1, toString: 'x', list: [{ constructor: 'y' }] } };
    const payload = { content: 'hi', next_speaker: [] };
    expect(parseEnvelope({ header: header('discussion'), payload, ext }).ext).toEqual(ext);
    const broken = refusal({ header: { ...header('discussion'), protocol: 'ioa/0' }, payload, ext });
    expect(broken.code).toBe(ErrorCode.VALIDATION);
  });
});
