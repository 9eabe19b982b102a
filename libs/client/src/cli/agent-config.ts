import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { Agent, runAgent } from '../agent';
import { IoAClient } from '../client';
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
  const config = parse(readFileSync(configPath, 'utf8')) as Record<string, any>;
  if (!config || typeof config !== 'object') throw new Error(`${configPath}: not a YAML mapping`);
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
  });
  console.log(`agent ${agent.card.name} connected to ${config.url ?? defaultUrl}; Ctrl-C to stop`);
  const run = runAgent(client, agent, { onError: (e, where) => console.error(`agent ${agent.card.name} (${where.event}):`, e) });
  process.once('SIGINT', () => {
    run.stop();
    client.close();
    process.exit(0);
  });
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
      const llm = { baseUrl: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, ...config.llm };
      if (!llm.baseUrl) throw new Error('kind llm needs llm.baseUrl or OPENAI_BASE_URL');
      return llmAgent({ card: config.card, ...llm });
    }
    default:
      throw new Error(`kind must be scripted, command, http or llm (got ${config.kind})`);
  }
}
