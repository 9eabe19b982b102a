import { RestClient } from '../rest';

/** Agent names for ids, read once each (an id stays shown as its first 8 characters when its card cannot be read). */
export class Names {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly rest: RestClient) {}

  of(id: string): Promise<string> {
    let name = this.cache.get(id);
    if (!name) {
      name = this.rest.getAgent(id).then((a) => a.name, () => id.slice(0, 8));
      this.cache.set(id, name);
    }
    return name;
  }

  list(ids: string[]): Promise<string> {
    return Promise.all(ids.map((id) => this.of(id))).then((n) => n.join(', '));
  }
}
