/**
 * Types and schemas of the JSON API, for the web client. Each module's `*.schema.ts` is the one
 * source of truth; this file only re-exports them (no server code).
 */
export * from '../modules/org/org.schema.js';
export * from '../modules/conversations/conversations.schema.js';
export * from '../modules/goals/goals.schema.js';
export * from '../modules/profiles/profiles.schema.js';
export * from '../modules/coaching/delivery.schema.js';
