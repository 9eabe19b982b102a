// The page imports only types from libs/protocol, but type-checking them reads its validators, which run on Node
// (in the server and the SDK, never in this bundle) and measure with Buffer.
declare const Buffer: { byteLength(text: string): number };
