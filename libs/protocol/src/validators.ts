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
