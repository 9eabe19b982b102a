import { getMetadataStorage } from 'class-validator';

type Lookup = (target: Function, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) => unknown[];

/**
 * class-validator resolves a class's validation rules again on every `validate` call, scanning every decorated class
 * for ancestors (typestack/class-validator#2686, open); on a socket message's hot path that scan was the largest single
 * cost of validation. A class's rules, its inherited ones included, are all registered when the class is loaded,
 * before anything can validate it, so the lookup is memoised per class and options.
 */
export function memoizeValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as { getTargetValidationMetadatas: Lookup & { memoized?: true } };
  if (storage.getTargetValidationMetadatas.memoized) return;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const cache = new WeakMap<Function, Map<string, unknown[]>>();
  const memoized: Lookup = (target, schema, always, strictGroups, groups) => {
    let byOptions = cache.get(target);
    if (!byOptions) cache.set(target, (byOptions = new Map()));
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.getTargetValidationMetadatas = Object.assign(memoized, { memoized: true as const });
}
