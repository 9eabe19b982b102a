export { commandAgent, TRUNCATED_MARKER } from './command-agent';
export { passTurnBack } from './outcome';
export type { CommandAgentOptions } from './command-agent';
export { fromA2A, httpAgent } from './http-agent';
export type { HttpAgentOptions } from './http-agent';
export { loadScript, ScriptError, scriptedAgent } from './scripted-agent';
export type { Script, ScriptedTask, ScriptedTurn } from './scripted-agent';
export { llmAgent } from './llm-agent';
export type { LlmAgent, LlmAgentOptions, LlmFailure, TokenUsage } from './llm-agent';
