import { TreeNode } from '@ioa/protocol';
import { RestClient } from '../rest';
import { bar } from '../watch/message-lines';

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

/** A team of a tree in words: who coordinates whom. */
export const describeTeam = async (g: TreeNode, names: Names) => `${await names.of(g.coordinator)} coordinating ${await names.list(g.members.filter((m) => m !== g.coordinator))}`;

/** A task of a tree in words, with a progress bar. */
export const describeTask = async (t: TreeNode['tasks'][number], names: Names) => `task "${t.task_abstract}" for ${await names.list(t.assignee)}: ${t.state} ${bar(t.progress)}`;

/** The groups of a tree, depth first. */
export const groupsOf = (tree: TreeNode[]): TreeNode[] => tree.flatMap((n) => [n, ...groupsOf(n.children)]);
