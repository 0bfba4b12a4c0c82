// Re-exports every contract, as upstream's interop folder does; clamator-manifest counts each once.
export * from './arith.js';
export * from './notifications.js';
