import { registerDecorator, ValidationOptions } from 'class-validator';

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
