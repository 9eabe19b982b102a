import { Type } from 'class-transformer';
import { IsArray, IsObject, registerDecorator, ValidateIf, ValidateNested, ValidationOptions } from 'class-validator';

/** The condition of `IsOptionalNotNull`: one function, so that the server's compiled check can recognise it. */
export function isPresent(_object: object, value: unknown): boolean {
  return value !== undefined;
}

/**
 * The property may be left out; present, even as null, it must pass its other rules. class-validator's
 * `@IsOptional()` skips them for null as well, and a service then takes the null for a value (a 500, or an enrollment
 * token without a use limit): keep `@IsOptional()` for the few fields where null means "clear this", and say so.
 */
export function IsOptionalNotNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf(isPresent, options);
}

/** A plain JSON object whose serialised form stays under `max` bytes. */
export function IsBoundedJsonObject(max: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBoundedJsonObject',
      target: target.constructor,
      propertyName,
      options: { message: `$property must be a JSON object of at most ${max} bytes`, ...options },
      validator: {
        validate(value: unknown) {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          try {
            return Buffer.byteLength(JSON.stringify(value)) <= max;
          } catch {
            return false;
          }
        },
      },
    });
}

const NAMESPACED = /^[a-z0-9][a-z0-9-]*\.[A-Za-z0-9_.-]+$/;

/** Every key of the object is namespaced, `vendor.key`, so that extensions from different parties cannot collide. */
export function HasNamespacedKeys(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'hasNamespacedKeys',
      target: target.constructor,
      propertyName,
      options: { message: '$property keys must be namespaced as vendor.key', ...options },
      validator: {
        validate: (value: unknown) => !!value && typeof value === 'object' && Object.keys(value).every((k) => NAMESPACED.test(k)),
      },
    });
}

/**
 * One object of class `cls`, validated. `@ValidateNested()` alone also accepts an array (of anything): use this for
 * every nested DTO.
 */
export function IsNested(cls: () => Function, options?: ValidationOptions) {
  const decorators = [IsObject({ message: '$property must be an object', ...options }), ValidateNested(options), Type(cls)];
  return (target: object, propertyName: string) => decorators.forEach((d) => d(target, propertyName));
}

/**
 * An array of objects of class `cls`, each validated. `@ValidateNested({ each: true })` alone also walks into nested
 * arrays (`[[{…}]]` or `[[]]` pass), so every element must itself be an object; use this for every array of DTOs.
 */
export function IsArrayOf(cls: () => Function, options?: ValidationOptions) {
  const decorators = [
    IsArray(options),
    IsObject({ each: true, message: '$property must contain only objects', ...options }),
    ValidateNested({ each: true, ...options }),
    Type(cls),
  ];
  return (target: object, propertyName: string) => decorators.forEach((d) => d(target, propertyName));
}
