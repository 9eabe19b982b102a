import Ajv, { ValidateFunction } from 'ajv';
import type { MetadataStorage as TypeStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

// Where class-transformer keeps `@Type`, which its package does not export with types (typestack/class-transformer#563).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeStorage };

type Schema = Record<string, unknown>;
type Check = (value: unknown) => boolean;

/**
 * Rules whose JSON-schema form (class-validator-jsonschema's) accepts no value that class-validator refuses, checked one
 * by one: type checks, enums, bounds, array sizes, required and nested objects. ajv counts a string's length in code
 * points; validator.js also leaves out emoji presentation selectors, so ajv's count is never the shorter one.
 */
const AS_SCHEMA = new Set([
  'equals', 'isIn', 'isString', 'isNotEmpty', 'maxLength', 'isArray', 'arrayMinSize', 'arrayMaxSize', 'isInt', 'isNumber',
  'min', 'max', 'isBoolean', 'isObject', 'isDefined', ValidationTypes.CONDITIONAL_VALIDATION, ValidationTypes.NESTED_VALIDATION,
]);
/** Rules whose schema form would differ (e.g. ajv's `uuid` format allows a `urn:uuid:` prefix): run their own check. */
const DELEGATED = new Set(['isUuid', 'isBoundedJsonObject', 'hasNamespacedKeys']);

const compiled = new WeakMap<Function, ValidateFunction | null>();
const delegates: Check[] = [];
let ajv: Ajv | null = null;
let definitions: Record<string, Schema> = {};

/**
 * A compiled pre-check for a protocol DTO class, made from the same class-validator rules: when it accepts a value,
 * class-validator would have accepted it too, so the caller may skip class-validator's much costlier pass (a third of
 * the bytes a socket message allocated). A value it refuses still goes to class-validator, which decides and explains
 * the error. Null for a class with a rule not known to translate soundly (it always takes the slow path).
 */
export function compiledCheck(cls: Function): ValidateFunction | null {
  let check = compiled.get(cls);
  if (check === undefined) {
    check = soundClasses(cls) ? compiler().compile({ $ref: `#/definitions/${cls.name}`, definitions }) : null;
    compiled.set(cls, check);
  }
  return check;
}

function compiler(): Ajv {
  if (ajv) return ajv;
  const storage = getMetadataStorage();
  const delegate = (meta: ValidationMetadata): Schema => {
    const [constraint] = storage.getTargetValidatorConstraints(meta.constraintCls);
    const instance = new (constraint.target as new () => { validate(value: unknown, args: ValidationArguments): boolean })();
    const args = { constraints: meta.constraints ?? [], property: meta.propertyName, targetName: '', object: {}, value: undefined };
    delegates.push((value) => instance.validate(value, { ...args, value }) === true);
    // Keyed by index so that several delegated rules on one property merge instead of overwriting each other.
    return { 'x-class-validator': { [delegates.length - 1]: true } };
  };
  definitions = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    additionalConverters: Object.fromEntries([...DELEGATED].map((name) => [name, delegate])),
  }) as Record<string, Schema>;
  // class-validator runs with forbidNonWhitelisted: an undecorated property is an error there, so it is one here.
  for (const schema of Object.values(definitions)) if (schema.properties) schema.additionalProperties = false;
  ajv = new Ajv({ strict: false });
  ajv.addKeyword({
    keyword: 'x-class-validator', schemaType: 'object', errors: false,
    validate: (rules: Record<string, true>, data: unknown) => Object.keys(rules).every((i) => delegates[Number(i)](data)),
  });
  return ajv;
}

/** Whether every rule of the class, and of the classes nested in it, is one of the vetted kinds. */
function soundClasses(cls: Function, seen = new Set<Function>()): boolean {
  if (seen.has(cls)) return true;
  seen.add(cls);
  const storage = getMetadataStorage();
  for (const meta of storage.getTargetValidationMetadatas(cls, '', true, false)) {
    const name = meta.constraintCls ? storage.getTargetValidatorConstraints(meta.constraintCls)[0]?.name : meta.type;
    if (meta.type === ValidationTypes.NESTED_VALIDATION) {
      const target = meta.target as Function;
      const nested = defaultMetadataStorage.findTypeMetadata(target, meta.propertyName)?.typeFunction()
        ?? Reflect.getMetadata('design:type', target.prototype, meta.propertyName);
      // The schema names the nested class; Object or Array here would name no class at all.
      if (typeof nested !== 'function' || nested === Object || nested === Array || !soundClasses(nested, seen)) return false;
    } else if (!name || !(AS_SCHEMA.has(name) || DELEGATED.has(name))) {
      return false;
    } else if (name === 'isNumber' && Object.keys((meta.constraints?.[0] as object) ?? {}).length > 0) {
      return false; // options such as maxDecimalPlaces have no schema form here
    }
  }
  return true;
}
