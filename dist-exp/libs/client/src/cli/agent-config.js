"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runConfiguredAgent = runConfiguredAgent;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const yaml_1 = require("yaml");
const agent_1 = require("../agent");
const client_1 = require("../client");
const wrappers_1 = require("../wrappers");
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
async function runConfiguredAgent(defaultUrl, configPath) {
    const config = (0, yaml_1.parse)((0, node_fs_1.readFileSync)(configPath, 'utf8'));
    if (!config || typeof config !== 'object')
        throw new Error(`${configPath}: not a YAML mapping`);
    const agent = wrapper(config, (0, node_path_1.dirname)((0, node_path_1.resolve)(configPath)));
    const credsFile = (0, node_path_1.resolve)((0, node_path_1.dirname)((0, node_path_1.resolve)(configPath)), config.credentials_file ?? `${configPath.replace(/\.ya?ml$/, '')}.credentials.json`);
    const saved = (0, node_fs_1.existsSync)(credsFile) ? JSON.parse((0, node_fs_1.readFileSync)(credsFile, 'utf8')) : {};
    if (!saved.token && !config.enrollment_token)
        throw new Error(`${configPath}: enrollment_token is needed on the first run (no ${credsFile} yet)`);
    const client = await client_1.IoAClient.connect({
        url: config.url ?? defaultUrl,
        token: saved.token,
        refreshToken: saved.refresh_token,
        enrollment: saved.token ? undefined : { token: config.enrollment_token, card: agent.card },
        onCredentials: (creds) => (0, node_fs_1.writeFileSync)(credsFile, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 }),
    });
    console.log(`agent ${agent.card.name} connected to ${config.url ?? defaultUrl}; Ctrl-C to stop`);
    const run = (0, agent_1.runAgent)(client, agent, { onError: (e, where) => console.error(`agent ${agent.card.name} (${where.event}):`, e) });
    process.once('SIGINT', () => {
        run.stop();
        client.close();
        process.exit(0);
    });
}
function wrapper(config, baseDir) {
    switch (config.kind) {
        case 'scripted': {
            const text = config.script_file ? (0, node_fs_1.readFileSync)((0, node_path_1.resolve)(baseDir, config.script_file), 'utf8') : JSON.stringify(config.script);
            return (0, wrappers_1.scriptedAgent)((0, wrappers_1.loadScript)(text));
        }
        case 'command':
            return (0, wrappers_1.commandAgent)({ card: config.card, ...config.command });
        case 'http':
            return (0, wrappers_1.httpAgent)({ card: config.card, ...config.http });
        case 'llm':
            {
                // The config's own keys win over the environment.
                const llm = { baseUrl: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, ...config.llm };
                if (!llm.baseUrl)
                    throw new Error('kind llm needs llm.baseUrl or OPENAI_BASE_URL');
                return (0, wrappers_1.llmAgent)({ card: config.card, ...llm });
            }
        default:
            throw new Error(`kind must be scripted, command, http or llm (got ${config.kind})`);
    }
}
//# sourceMappingURL=agent-config.js.map