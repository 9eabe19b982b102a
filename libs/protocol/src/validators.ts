import { Type } from 'class-transformer';
import { IsArray, IsObject, registerDecorator, ValidateNested, ValidationOptions } from 'class-validator';

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
