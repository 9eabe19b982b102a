import { getMetadataStorage, IsInt, IsString, validateSync } from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata-cache';

class Base {
  @IsString()
  name: string;
}
class Child extends Base {
  @IsInt()
  count: number;
}

describe('memoizeValidationMetadata', () => {
  it('keeps validation results, inherited rules included, across repeated validations', () => {
    memoizeValidationMetadata();
    memoizeValidationMetadata();
    const storage = getMetadataStorage() as unknown as { getTargetValidationMetadatas: { memoized?: boolean } };
    expect(storage.getTargetValidationMetadatas.memoized).toBe(true);
    for (let i = 0; i < 3; i++) {
      const bad = Object.assign(new Child(), { name: 7, count: 'x' });
      expect(validateSync(bad).map((e) => e.property).sort()).toEqual(['count', 'name']);
      expect(validateSync(Object.assign(new Child(), { name: 'a', count: 1 }))).toEqual([]);
      expect(validateSync(Object.assign(new Base(), { name: 1 })).map((e) => e.property)).toEqual(['name']);
    }
  });
});
