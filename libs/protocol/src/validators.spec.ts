import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationTypes, validateSync } from 'class-validator';
import * as protocol from './index';

type DtoClass = new () => object;
const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, Array<{ type: string; propertyName: string; each?: boolean; name?: string }>> };

/** Every DTO property validated as an array of nested objects, found from the metadata so a new one is covered too. */
const nestedArrays = [...storage.validationMetadatas.entries()].flatMap(([target, rules]) =>
  Object.values(protocol).includes(target as never)
    ? rules.filter((r) => r.type === ValidationTypes.NESTED_VALIDATION && r.each).map((r) => [(target as Function).name, r.propertyName, target as DtoClass] as const)
    : [],
);

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
