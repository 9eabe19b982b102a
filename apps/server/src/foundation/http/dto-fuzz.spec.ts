import fc from 'fast-check';
import * as protocol from '@ioa/protocol';
import { getMetadataStorage } from 'class-validator';
import { FUZZ, nested } from '../../../../../test/support/fuzz';
import { ApiError, parseDto } from './api-error';
import { checkInputShape } from './input-shape';

type DtoClass = new () => object;
const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, Array<{ propertyName: string }>> };

/** A DTO's properties, its own and those of the classes it extends (`ListGoalsQueryDto` extends `PageQueryDto`). */
function propertiesOf(target: Function): string[] {
  const names: string[] = [];
  for (let c = target; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) names.push(...(storage.validationMetadatas.get(c) ?? []).map((r) => r.propertyName));
  return [...new Set(names)];
}

/** Every DTO of the protocol (a class with validation rules), with its properties: a new DTO is fuzzed without a line here. */
const DTOS = [...storage.validationMetadatas.keys()]
  .filter((target) => Object.values(protocol).includes(target as never))
  .map((target) => [target.name, target as DtoClass, propertiesOf(target)] as const);

const weird = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
  fc.constantFrom(null, undefined, '', 0, -0, -1, 2 ** 31, 1e400, -1e400, Number.NaN, true, [], {}, [[]], [null], 'x'.repeat(70_000), '\u0000', '\u{1F600}'.repeat(5000)),
  fc.integer({ min: 30, max: 3000 }).map((n) => nested(n)),
  fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":{"__proto__":[]}}').map((s) => JSON.parse(s) as unknown),
);

/** A body that looks like the DTO: its own property names (some), each with a random or hostile value, maybe an extra key. */
const shaped = (props: readonly string[]) => fc.tuple(
  fc.subarray([...props]),
  fc.array(weird, { minLength: props.length, maxLength: props.length }),
  fc.option(fc.tuple(fc.string({ maxLength: 12 }), weird), { nil: undefined }),
).map(([keys, values, extra]) => {
  const body: Record<string, unknown> = {};
  keys.forEach((k, i) => (body[k] = values[i]));
  if (extra) body[extra[0]] = extra[1];
  return body;
});

describe('every protocol DTO, fuzzed at the edge (fast-check, seeded; IOA_FUZZ_RUNS / IOA_FUZZ_SEED)', () => {
  it('finds the DTOs from the metadata', () => {
    expect(DTOS.map(([name]) => name)).toEqual(expect.arrayContaining(['CreateGroupDto', 'RegisterAgentDto', 'SubscribeDto', 'SocketAuthDto', 'TeamFormationPayload']));
  });

  it.each(DTOS)('%s: a body is accepted with known fields only, or refused with VALIDATION; nothing else is thrown', (_, cls, props) => {
    fc.assert(fc.property(fc.oneof(weird, shaped(props)), (raw) => {
      let value: object;
      try {
        checkInputShape(raw, 'body');
        value = parseDto(cls, raw);
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== protocol.ErrorCode.VALIDATION) throw e;
        return;
      }
      for (const key of Object.keys(value)) if (!props.includes(key)) throw new Error(`accepted an unknown field ${key}`);
    }), { seed: FUZZ.seed, numRuns: FUZZ.runs(300) });
  });
});
