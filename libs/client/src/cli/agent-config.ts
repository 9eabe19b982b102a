import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { Agent, runAgent } from '../agent';
import { IoAClient } from '../client';
import { isIoAError } from '../errors';
import { ErrorCode } from '@ioa/protocol';
import { commandAgent, httpAgent, llmAgent, loadScript, scriptedAgent } from '../wrappers';

/**
 * `ioa agent run --config agent.yaml`. The config names the server, the credentials (an enrollment token on first
 * run; afterwards the tokens saved next to the config), and the wrapper:
 *
 *   url: http://localhost:7788
 *   enrollment_token: ...            # first run only
 *   credentials_file: .agent.json    # default: <config>.credentials.json
 *   kind: command                    # scripted | command | http | llm
 *   card: { name: word-counter, description: counts words, capabilities: [] }
 *   command: { command: wc, args: [-w] }        # kind command
 *   http: { url: http://..., a2a: true }        # kind http
 *   llm: { model: llama3, baseUrl: http://localhost:11434/v1 }   # kind llm (default baseUrl / apiKey: OPENAI_BASE_URL / OPENAI_API_KEY)
 *   script: { ...scripted agent YAML... }       # kind scripted (or script_file: path)
 */
export async function runConfiguredAgent(defaultUrl: string, configPath: string): Promise<void> {
  const config = readConfig(configPath);
  const agent = wrapper(config, dirname(resolve(configPath)));
  // Beside the config: a `credentials_file` is relative to the config's folder, the default is the config's own path.
  const credsFile = config.credentials_file ? resolve(dirname(resolve(configPath)), config.credentials_file) : `${resolve(configPath).replace(/\.ya?ml$/, '')}.credentials.json`;
  const saved = existsSync(credsFile) ? JSON.parse(readFileSync(credsFile, 'utf8')) : {};
  if (!saved.token && !config.enrollment_token) throw new Error(`${configPath}: enrollment_token is needed on the first run (no ${credsFile} yet)`);
  const client = await IoAClient.connect({
    url: config.url ?? defaultUrl,
    token: saved.token,
    refreshToken: saved.refresh_token,
    enrollment: saved.token ? undefined : { token: config.enrollment_token, card: agent.card },
    onCredentials: (creds) => writeFileSync(credsFile, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 }),
  }).catch((e: unknown) => {
    // Registered by an earlier run whose credentials were lost: say how to get them back.
    if (!saved.token && isIoAError(e, ErrorCode.CONFLICT)) {
      throw new Error(`${e.message}. If an earlier run of this agent registered it (and ${credsFile} was lost), an admin can issue its credentials again: \`ioa agent token ${agent.card.name} --out ${credsFile}\`; if another agent has the name, give this card another one`);
    }
    throw e;
  });
  console.log(`agent ${agent.card.name} connected to ${config.url ?? defaultUrl}; Ctrl-C to stop`);
  const run = runAgent(client, agent, { onError: (e, where) => console.error(`agent ${agent.card.name} (${where.event}):`, e) });
  process.once('SIGINT', () => {
    run.stop();
    client.close();
    process.exit(0);
  });
}

/** Keys a config may have: at the top (per kind), and inside a wrapper's own section. */
const TOP = ['url', 'enrollment_token', 'credentials_file', 'kind', 'card'];
const SECTIONS: Record<string, { key?: string; keys?: string[]; required?: string[] }> = {
  scripted: { keys: ['script', 'script_file'] },
  command: { key: 'command', keys: ['command', 'args', 'timeoutMs', 'maxOutputBytes', 'progressIntervalMs', 'cwd', 'env'], required: ['command'] },
  http: { key: 'http', keys: ['url', 'a2a', 'timeoutMs', 'headers', 'pollIntervalMs'], required: ['url'] },
  llm: { key: 'llm', keys: ['baseUrl', 'apiKey', 'model', 'systemPrompt', 'maxRetries', 'timeoutMs', 'historyMessages', 'summaryChars', 'retryDelayMs'], required: ['model'] },
};

/**
 * Reads a config and checks its keys before anything runs: an unknown or missing key is refused with its name and
 * its line (`agent.yaml:4: unknown key "comand" …`), as the scripted agent's own format is.
 */
export function readConfig(path: string): Record<string, any> {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter: lines, merge: true });
  if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0].message}`);
  let config: Record<string, any>;
  try {
    config = doc.toJS() as Record<string, any>;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  if (!isMap(doc.contents)) throw new Error(`${path}: not a YAML mapping`);
  /** The line of a key (its own line, where a mapping value starts on the next one). */
  const lineOf = (keys: string[]) => {
    const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents;
    const pair = isMap(parent) ? parent.items.find((p) => (p.key as { value?: unknown })?.value === keys.at(-1)) : undefined;
    const range = (pair?.key as { range?: [number] } | undefined)?.range;
    return range ? lines.linePos(range[0]).line : 1;
  };
  const section = typeof config.kind === 'string' && Object.hasOwn(SECTIONS, config.kind) ? SECTIONS[config.kind] : undefined;
  if (!section) throw new Error(`${path}:${lineOf(['kind'])}: kind must be scripted, command, http or llm (got ${JSON.stringify(config.kind)})`);
  // A scripted agent's card is in its script.
  const allowed = [...TOP.filter((k) => !(config.kind === 'scripted' && k === 'card')), ...(section.key ? [section.key] : section.keys ?? [])];
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) throw new Error(`${path}:${lineOf([key])}: unknown key "${key}" for kind ${config.kind} (allowed: ${allowed.join(', ')})`);
  }
  if (!section.key) {
    if ((config.script === undefined) === (config.script_file === undefined)) throw new Error(`${path}:${lineOf(['kind'])}: kind scripted needs exactly one of script and script_file`);
    return config;
  }
  // An llm config may take everything from OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL.
  const own = config[section.key] ?? (config.kind === 'llm' ? {} : undefined);
  if (!own || typeof own !== 'object' || Array.isArray(own)) throw new Error(`${path}:${lineOf([section.key])}: "${section.key}" is required for kind ${config.kind}, a mapping (${section.keys!.join(', ')})`);
  for (const key of Object.keys(own)) {
    if (!section.keys!.includes(key)) throw new Error(`${path}:${lineOf([section.key, key])}: unknown key "${section.key}.${key}" (allowed: ${section.keys!.join(', ')})`);
  }
  for (const key of section.required ?? []) {
    if (own[key] === undefined && !(config.kind === 'llm' && key === 'model' && process.env.OPENAI_MODEL)) {
      throw new Error(`${path}:${lineOf([section.key])}: "${section.key}.${key}" is required`);
    }
  }
  return config;
}

function wrapper(config: Record<string, any>, baseDir: string): Agent {
  switch (config.kind) {
    case 'scripted': {
      const text = config.script_file ? readFileSync(resolve(baseDir, config.script_file), 'utf8') : JSON.stringify(config.script);
      return scriptedAgent(loadScript(text));
    }
    case 'command':
      return commandAgent({ card: config.card, ...config.command });
    case 'http':
      return httpAgent({ card: config.card, ...config.http });
    case 'llm':
    {
      // The config's own keys win over the environment.
      const llm = { baseUrl: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, model: process.env.OPENAI_MODEL, ...config.llm };
      if (!llm.baseUrl) throw new Error('kind llm needs llm.baseUrl or OPENAI_BASE_URL');
      return llmAgent({ card: config.card, ...llm });
    }
    default:
      throw new Error(`kind must be scripted, command, http or llm (got ${config.kind})`);
  }
}
