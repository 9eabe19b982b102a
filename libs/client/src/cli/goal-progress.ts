import { TreeNode } from '@ioa/protocol';
import { bar } from '../watch/message-lines';
import type { Names } from '../watch/names';

/** A team of a tree in words: who coordinates whom. */
export const describeTeam = async (g: TreeNode, names: Names) => `${await names.of(g.coordinator)} coordinating ${await names.list(g.members.filter((m) => m !== g.coordinator))}`;

/** A task of a tree in words, with a progress bar. */
export const describeTask = async (t: TreeNode['tasks'][number], names: Names) => `task "${t.task_abstract}" for ${await names.list(t.assignee)}: ${t.state} ${bar(t.progress)}`;

/** The groups of a tree, depth first. */
export const groupsOf = (tree: TreeNode[]): TreeNode[] => tree.flatMap((n) => [n, ...groupsOf(n.children)]);
