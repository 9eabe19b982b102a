import { ErrorCode, LIMITS } from '@ioa/protocol';
import { ApiError } from './api-error';
import { checkInputShape } from './input-shape';

/** `leaf` inside `levels` containers, alternating objects and arrays, built without recursion. */
function nested(levels: number, leaf: unknown = 'x'): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { k: v };
  return v;
}

const refusal = (input: unknown): ApiError | undefined => {
  try {
    checkInputShape(input, 'message');
  } catch (e) {
    return e as ApiError;
  }
  return undefined;
};

describe('checkInputShape', () => {
  it('accepts scalars, empty containers and input exactly at the depth limit', () => {
    for (const input of [undefined, null, 0, 'x', true, {}, [], nested(LIMITS.jsonDepthMax), nested(LIMITS.jsonDepthMax - 1, [])]) {
      expect(refusal(input)).toBeUndefined();
    }
  });

  it('refuses one level more with VALIDATION naming the limit and where it was passed', () => {
    const error = refusal({ payload: nested(LIMITS.jsonDepthMax - 1, []) });
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe(ErrorCode.VALIDATION);
    expect(error?.message).toBe('message is nested deeper than 32 levels');
    expect(error?.fields?.[0].field).toBe(`payload${'.k.0'.repeat(15)}.k`);
  });

  it('walks without recursion: a million levels are refused, not a stack overflow', () => {
    expect(refusal(nested(1_000_000))?.code).toBe(ErrorCode.VALIDATION);
  });

  it('finds a deep branch beside wide shallow ones', () => {
    const wide = Array.from({ length: 10_000 }, (_, i) => ({ i, tags: ['a', 'b'] }));
    expect(refusal({ wide })).toBeUndefined();
    expect(refusal({ wide, deep: { a: [1, 2, nested(40)] } })?.fields?.[0].field).toMatch(/^deep\.a\.2\./);
  });

  it.each(['__proto__', 'constructor'])('refuses a %s key at any depth, naming it and where it is', (key) => {
    const inputs = [`{"${key}":1}`, `{"payload":{"tasks":[{"${key}":{}}]}}`, `{"ext":{"acme.x":{"${key}":null}}}`].map((j) => JSON.parse(j));
    const fields = inputs.map((input) => {
      const error = refusal(input);
      expect(error).toMatchObject({ code: ErrorCode.VALIDATION, message: `key ${key} is not allowed` });
      return error?.fields?.[0].field;
    });
    expect(fields).toEqual([key, `payload.tasks.0.${key}`, `ext.acme.x.${key}`]);
    expect(refusal({ note: key, [`${key}s`]: 1 })).toBeUndefined();
  });

  it('refuses binary attachments whole, without walking their bytes', () => {
    const big = Buffer.alloc(1 << 20);
    for (const input of [big, { ext: { blob: big } }, [new Uint8Array(4)], { b: new ArrayBuffer(8) }]) {
      expect(refusal(input)).toMatchObject({ code: ErrorCode.VALIDATION, message: 'message must be JSON, not binary' });
    }
  });

  it('reads objects without a prototype, as Express makes for queries', () => {
    const query = Object.assign(Object.create(null) as object, { limit: '5', skill: ['a', 'b'] });
    expect(refusal(query)).toBeUndefined();
    expect(refusal(Object.assign(query, JSON.parse('{"__proto__":"1"}')))?.message).toBe('key __proto__ is not allowed');
  });
});
