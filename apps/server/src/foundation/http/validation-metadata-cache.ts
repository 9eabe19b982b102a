import { getMetadataStorage } from 'class-validator';

type Lookup = (target: Function, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) => object[];
type Grouping = (rules: object[]) => Record<string, object[]>;
interface Storage {
  getTargetValidationMetadatas: Lookup & { memoized?: true };
  groupByPropertyName: Grouping;
}

/**
 * class-validator resolves a class's validation rules again on every `validate` call, scanning every decorated class
 * for ancestors (typestack/class-validator#2686, open), then groups them by property; on a socket message's hot path
 * the scan was the largest single cost of validation and the grouping a large share of its garbage. A class's rules,
 * its inherited ones included, are all registered when the class is loaded, before anything can validate it, so the
 * lookup is memoised per class and options, and the grouping per looked-up list (the validator only reads both).
 */
export function memoizeValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as Storage;
  if (storage.getTargetValidationMetadatas.memoized) return;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const cache = new WeakMap<Function, Map<string, object[]>>();
  const memoized: Lookup = (target, schema, always, strictGroups, groups) => {
    let byOptions = cache.get(target);
    if (!byOptions) cache.set(target, (byOptions = new Map()));
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.getTargetValidationMetadatas = Object.assign(memoized, { memoized: true as const });

  const group = storage.groupByPropertyName.bind(storage);
  const grouped = new WeakMap<object[], Record<string, object[]>>();
  storage.groupByPropertyName = (rules) => {
    let byProperty = grouped.get(rules);
    if (!byProperty) grouped.set(rules, (byProperty = group(rules)));
    return byProperty;
  };
}
