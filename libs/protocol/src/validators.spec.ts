import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationTypes, validateSync } from 'class-validator';
import * as protocol from './index';

type DtoClass = new () => object;
const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, Array<{ type: string; propertyName: string; each?: boolean; name?: string }>> };

/** Every DTO property validated as a nested object or array of them, found from the metadata so a new one is covered. */
const nested = (each: boolean) => [...storage.validationMetadatas.entries()].flatMap(([target, rules]) =>
  Object.values(protocol).includes(target as never)
    ? rules.filter((r) => r.type === ValidationTypes.NESTED_VALIDATION && !!r.each === each).map((r) => [(target as Function).name, r.propertyName, target as DtoClass] as const)
    : [],
);
const nestedArrays = nested(true);

describe('nested DTOs', () => {
  it('are found in the protocol', () => {
    const found = nested(false).map(([name, prop]) => `${name}.${prop}`);
    expect(found).toEqual(expect.arrayContaining(['AgentCardFields.interface', 'ClientEnvelopeDto.header', 'CreateObserverTokenDto.scope']));
  });

  it.each(nested(false))('%s.%s refuses arrays and non-objects', (_, prop, cls) => {
    for (const value of [[], [{}], 'x', 1]) {
      const errors = validateSync(plainToInstance(cls, { [prop]: value }), { whitelist: true, forbidNonWhitelisted: true });
      expect(errors.find((e) => e.property === prop)?.constraints ?? {}).toHaveProperty('isObject');
    }
  });
});

describe('arrays of nested DTOs', () => {
  it('are found in the protocol', () => {
    const found = nestedArrays.map(([name, prop]) => `${name}.${prop}`);
    expect(found).toEqual(expect.arrayContaining(['AgentCardFields.capabilities', 'TaskAssignmentPayload.tasks']));
  });

  it.each(nestedArrays)('%s.%s refuses nested arrays and non-objects as elements', (_, prop, cls) => {
    for (const value of [[[]], [[{}]], [null], ['x'], [1]]) {
      const errors = validateSync(plainToInstance(cls, { [prop]: value }), { whitelist: true, forbidNonWhitelisted: true });
      expect(errors.find((e) => e.property === prop)?.constraints ?? {}).toHaveProperty('isObject');
    }
  });
});

/** Every numeric DTO property, from the metadata: `[class, property, rule names]`. */
const numeric = [...storage.validationMetadatas.entries()].flatMap(([target, rules]) => {
  if (!Object.values(protocol).includes(target as never)) return [];
  const props = new Set(rules.filter((r) => r.name === 'isInt' || r.name === 'isNumber').map((r) => r.propertyName));
  return [...props].map((p) => [(target as Function).name, p, rules.filter((r) => r.propertyName === p).map((r) => r.name)] as const);
});

describe('numbers in DTOs', () => {
  it('are found in the protocol', () => {
    expect(numeric.map(([name, prop]) => `${name}.${prop}`)).toEqual(expect.arrayContaining(['PageQueryDto.offset', 'SubscribeDto.after_seq']));
  });

  // An unbounded number reaches the database as it is: 1e300 as an OFFSET is a 500, not a 400.
  it.each(numeric)('%s.%s has a lower and an upper bound', (_, __, names) => {
    expect(names).toEqual(expect.arrayContaining(['min', 'max']));
  });

  it('offsets stop at LIMITS.offsetMax and cursors at LIMITS.seqMax', () => {
    for (const [cls, field, max] of [
      [protocol.PageQueryDto, 'offset', protocol.LIMITS.offsetMax], [protocol.ListAgentsQueryDto, 'offset', protocol.LIMITS.offsetMax],
      [protocol.MessagesQueryDto, 'after_seq', protocol.LIMITS.seqMax], [protocol.SubscribeDto, 'after_seq', protocol.LIMITS.seqMax],
    ] as const) {
      const errors = (value: number) => validateSync(plainToInstance(cls as DtoClass, { group_id: 'g', [field]: value })).map((e) => e.property);
      expect(errors(max)).toEqual([]);
      expect(errors(max + 1)).toEqual([field]);
    }
  });
});

/** Fields where null means "clear this" (`@IsOptional()`); every other optional field refuses null. */
const NULL_CLEARS = ['UpdateAgentDto.version', 'UpdateAgentDto.owner', 'UpdateAgentDto.interface'];

/** Every optional DTO property, from the metadata, so that a new one is covered too: `[class, property, cls]`. */
const optional = [...storage.validationMetadatas.entries()].flatMap(([target, rules]) =>
  Object.values(protocol).includes(target as never)
    ? rules.filter((r) => r.type === ValidationTypes.CONDITIONAL_VALIDATION).map((r) => [(target as Function).name, r.propertyName, target as DtoClass] as const)
    : [],
);
const fieldErrors = (cls: DtoClass, plain: object, prop: string) =>
  validateSync(plainToInstance(cls, plain), { whitelist: true, forbidNonWhitelisted: true }).find((e) => e.property === prop);

describe('optional fields', () => {
  it('are found in the protocol, and only the listed ones use @IsOptional', () => {
    expect(optional.length).toBeGreaterThan(50);
    const isOptional = [...storage.validationMetadatas.entries()].flatMap(([target, rules]) =>
      rules.filter((r) => r.name === 'isOptional').map((r) => `${(target as Function).name}.${r.propertyName}`));
    expect(isOptional.sort()).toEqual([...NULL_CLEARS].sort());
  });

  it.each(optional)('%s.%s may be left out, and null is refused unless it clears the field', (name, prop, cls) => {
    expect(fieldErrors(cls, {}, prop)).toBeUndefined();
    const error = fieldErrors(cls, { [prop]: null }, prop);
    if (NULL_CLEARS.includes(`${name}.${prop}`)) expect(error).toBeUndefined();
    else expect(error?.constraints).toBeDefined();
  });
});
