import { NodeLogger } from './node-logger';

describe('NodeLogger', () => {
  const lines = (json: boolean, write: (logger: NodeLogger) => void): string[] => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      write(new NodeLogger('node-a', 'log', json));
    } finally {
      spy.mockRestore();
    }
    return out;
  };

  it('writes one JSON object per line, with the node and the ids the message names', () => {
    const [line] = lines(true, (l) => l.warn('group 3f2c9a10-0000-4000-8000-000000000001: agent 77aa0000-1111-4222-8333-444455556666 did not answer', 'sessions'));
    expect(JSON.parse(line)).toMatchObject({
      level: 'warn', node: 'node-a', context: 'sessions', message: expect.stringContaining('did not answer'),
      group_id: '3f2c9a10-0000-4000-8000-000000000001', agent_id: '77aa0000-1111-4222-8333-444455556666',
    });
    expect(line.trim().split('\n')).toHaveLength(1);
  });

  it('writes text with the node for a person, and nothing below its level', () => {
    const out = lines(false, (l) => (l.log('listening', 'ioa'), l.debug('noise', 'ioa')));
    expect(out.join('')).toMatch(/ioa node-a.*listening/);
    expect(out.join('')).not.toContain('noise');
  });
});
