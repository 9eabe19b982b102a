import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from './agent-config';

describe('agent configs are checked before anything runs, each refusal naming the key and its line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ioa-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n'));
    return path;
  };
  const card = 'card: { name: wc, description: counts words, capabilities: [] }';

  it.each([
    ['an unknown top-level key', ['kind: command', card, 'comand: { command: wc }'], ':3: unknown key "comand" for kind command'],
    ['a missing command section', ['kind: command', card], ':1: "command" is required for kind command'],
    ['a command without its program', ['kind: command', card, 'command:', '  args: [-w]'], ':3: "command.command" is required'],
    ['an unknown key in a section', ['kind: http', card, 'http:', '  url: http://x', '  headrs: {}'], ':5: unknown key "http.headrs"'],
    ['another kind\'s section', ['kind: http', card, 'http: { url: http://x }', 'command: { command: wc }'], ':4: unknown key "command" for kind http'],
    ['an unknown kind', [card, 'kind: robot'], ':2: kind must be scripted, command, http or llm (got "robot")'],
    ['a kind named like an object property', [card, 'kind: constructor'], ':2: kind must be scripted, command, http or llm (got "constructor")'],
    ['a scripted agent without its script', ['kind: scripted'], ':1: kind scripted needs exactly one of script and script_file'],
    ['a scripted agent with a card beside its script', ['kind: scripted', 'script_file: echo.yaml', card], ':3: unknown key "card" for kind scripted'],
  ])('%s', (_, lines, message) => {
    const path = config(`${lines.length}-${Math.random()}.yaml`, lines);
    expect(() => readConfig(path)).toThrow(`${path}${message}`);
  });

  it('accepts YAML merge keys', () => {
    const path = config('merge.yaml', ['kind: command', card, 'command:', '  <<: { command: wc }', '  args: [-w]']);
    expect(readConfig(path).command).toEqual({ command: 'wc', args: ['-w'] });
  });

  it('accepts a complete config as it is', () => {
    const path = config('ok.yaml', ['url: http://localhost:7788', 'kind: command', card, 'command: { command: wc, args: [-w], timeoutMs: 1000 }']);
    expect(readConfig(path)).toMatchObject({ kind: 'command', command: { command: 'wc', args: ['-w'] } });
  });
});
