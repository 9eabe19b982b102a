import type { ApprovalView } from '@ioa/protocol';
import { Timeline } from '@ioa/client';
import { Api } from './http';

/** How often the demo looks for the goal's approvals when it decides them itself. */
const POLL_MS = 200;

/**
 * The person in the demo's loop. With `--approve`, a person created for the goal decides in the web console (the link
 * is printed); without it, the demo approves as admin as soon as an approval waits, so an unattended run (`--exit`)
 * still finishes: the approvals of its goal (`all` false), or of every goal on the server the demo started (`all`: a
 * goal someone submits to it later, over A2A or MCP say, gets the same sign-off). Returns a function that stops them.
 */
export async function signOff(admin: Api, url: string, goalId: string, byPerson: boolean, out: Timeline, all = false): Promise<() => void> {
  if (byPerson) {
    const person = await admin<{ token: string; person: { id: string } }>('POST', '/v1/people', { name: 'demo approver', scope: { goals: [goalId] } });
    out.nameAgent(person.person.id, 'you');
    out.line('goal', `a person approves the trip brief: open ${url}/approvals#token=${person.token} and click Approve`);
    return () => undefined;
  }
  let stopped = false;
  const decided = new Set<string>();
  const tick = async () => {
    const waiting = (await admin<ApprovalView[]>('GET', '/v1/approvals')).filter((a) => (all || a.goal_id === goalId) && !decided.has(a.id));
    for (const a of waiting) {
      await admin('POST', `/v1/approvals/${a.id}`, { decision: 'approve', comment: 'approved by the demo itself (run it with --approve to decide in the console)' });
      decided.add(a.id);
    }
  };
  const loop = () => void tick().catch(() => undefined).finally(() => !stopped && setTimeout(loop, POLL_MS));
  loop();
  return () => void (stopped = true);
}
