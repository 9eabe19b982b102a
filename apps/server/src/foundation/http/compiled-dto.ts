import Ajv, { ValidateFunction } from 'ajv';
import type { MetadataStorage as TypeStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, IS_OPTIONAL, ValidationArguments, ValidationTypes } from 'class-validator';
import { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { defaultConverters, ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { IOptions } from 'class-validator-jsonschema/build/options';
import { isPresent } from '@ioa/protocol';

// Where class-transformer keeps `@Type`, which its package does not export with types (typestack/class-transformer#563).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TypeStorage };

type Schema = Record<string, unknown>;

/**
 * Rules whose JSON-schema form (class-validator-jsonschema's) accepts no value that class-validator refuses, checked one
 * by one: type checks, enums, bounds, array sizes, required and nested objects. ajv counts a string's length in code
 * points; validator.js also leaves out emoji presentation selectors, so ajv's count is never the shorter one.
 */
const AS_SCHEMA = new Set([
  'equals', 'isIn', 'isString', 'isNotEmpty', 'maxLength', 'isArray', 'arrayMinSize', 'arrayMaxSize', 'isInt', 'isNumber',
  'min', 'max', 'isBoolean', 'isObject', 'isDefined', ValidationTypes.NESTED_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION,
]);
/** Rules whose schema form would differ (e.g. ajv's `uuid` format allows a `urn:uuid:` prefix): run their own check. */
const DELEGATED = new Set(['isUuid', 'isBoundedJsonObject', 'hasNamespacedKeys']);
/**
 * Each rule's schema goes under its own key here, to be joined by `allOf`: merged (class-validator-jsonschema's way), a
 * later rule's `type` or `enum` could replace a stricter one's.
 */
const CONJUNCTS = 'x-all';

const compiled = new WeakMap<Function, ValidateFunction | null>();
const delegates: Array<(value: unknown) => boolean> = [];
let ajv: Ajv | null = null;
let options: Partial<IOptions> | null = null;

/**
 * A compiled pre-check for a protocol DTO class, made from the same class-validator rules: when it accepts a value,
 * class-validator would have accepted it too, so the caller may skip class-transformer and class-validator (a third
 * of the bytes a socket message allocated). A value it refuses still goes to them, and they decide and explain. Null
 * for a class with a rule not known to translate soundly (it always takes the slow path).
 */
export function compiledCheck(cls: Function): ValidateFunction | null {
  let check = compiled.get(cls);
  if (check === undefined) {
    const classes = vetted(cls);
    check = classes ? compile(cls, classes) : null;
    compiled.set(cls, check);
  }
  return check;
}

function compile(cls: Function, classes: Map<string, Function>): ValidateFunction {
  const definitions: Record<string, Schema> = {};
  for (const [name, c] of classes) {
    const schema = conjoined(targetConstructorToSchema(c, converterOptions())) as Schema;
    // class-validator runs with forbidNonWhitelisted: an undecorated property is an error there, so it is one here.
    definitions[name] = { ...schema, additionalProperties: false };
  }
  ajv ??= new Ajv({ strict: false, strictNumbers: true }).addKeyword({
    keyword: 'x-class-validator', schemaType: 'number', errors: false, validate: (i: number, data: unknown) => delegates[i](data),
  });
  return ajv.compile({ $ref: `#/definitions/${cls.name}`, definitions });
}

/** Every vetted rule's converter, wrapped so that its schema lands under a key of its own in CONJUNCTS. */
function converterOptions(): Partial<IOptions> {
  if (options) return options;
  const storage = getMetadataStorage();
  const delegate = (meta: ValidationMetadata): Schema => {
    const [constraint] = storage.getTargetValidatorConstraints(meta.constraintCls);
    const instance = new (constraint.target as new () => { validate(value: unknown, args: ValidationArguments): boolean })();
    const args = { constraints: meta.constraints ?? [], property: meta.propertyName, targetName: '', object: {}, value: undefined };
    delegates.push((value) => instance.validate(value, { ...args, value }) === true);
    return { 'x-class-validator': delegates.length - 1 };
  };
  let n = 0;
  const converters: ISchemaConverters = {};
  for (const name of [...AS_SCHEMA, ...DELEGATED]) {
    const base = DELEGATED.has(name) ? delegate : defaultConverters[name];
    converters[name] = (meta, opts) => ({ [CONJUNCTS]: { [n++]: typeof base === 'function' ? base(meta, opts) ?? {} : base } });
  }
  return (options = { classTransformerMetadataStorage: defaultMetadataStorage, additionalConverters: converters });
}

/** The schema with every CONJUNCTS map turned into `allOf`: a value must pass each rule, as in class-validator. */
function conjoined(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(conjoined);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === CONJUNCTS) out.allOf = Object.values(value as Schema).map(conjoined);
    else out[key] = conjoined(value);
  }
  return out;
}

/**
 * The class and the classes nested in it, by name, if every rule of theirs is a vetted kind; null otherwise, or when
 * two of them share a name (the schema refers to classes by name).
 */
function vetted(cls: Function, classes = new Map<string, Function>()): Map<string, Function> | null {
  const known = classes.get(cls.name);
  if (known) return known === cls ? classes : null;
  classes.set(cls.name, cls);
  const storage = getMetadataStorage();
  for (const meta of storage.getTargetValidationMetadatas(cls, '', true, false)) {
    const name = meta.constraintCls ? storage.getTargetValidatorConstraints(meta.constraintCls)[0]?.name : meta.type;
    if (meta.type === ValidationTypes.NESTED_VALIDATION) {
      const target = meta.target as Function;
      const nested = defaultMetadataStorage.findTypeMetadata(target, meta.propertyName)?.typeFunction()
        ?? Reflect.getMetadata('design:type', target.prototype, meta.propertyName);
      // The schema names the nested class; Object or Array here would name no class at all.
      if (typeof nested !== 'function' || nested === Object || nested === Array || !vetted(nested, classes)) return null;
    } else if (!name || !(AS_SCHEMA.has(name) || DELEGATED.has(name))) {
      return null;
    } else if (meta.type === ValidationTypes.CONDITIONAL_VALIDATION && meta.name !== IS_OPTIONAL && meta.constraints?.[0] !== isPresent) {
      // @ValidateIf shares IsOptional's kind, but its condition has no schema form. IsOptionalNotNull's has one: the
      // property is not required (every conditional rule makes it so), and a value present, null included, meets the
      // rest; @IsOptional's form also refuses null, which class-validator would skip, so it is the stricter one.
      return null;
    } else if (name === 'isNumber' && Object.keys((meta.constraints?.[0] as object) ?? {}).length > 0) {
      return null; // options such as maxDecimalPlaces have no schema form here
    } else if (meta.groups?.length || meta.always) {
      return null; // parseDto validates without groups
    }
  }
  return classes;
}
