/**
 * The browser-safe text helpers (no Node.js imports): the web app imports exactly this file, as
 * `@lantoa/text`, so that sorting, search keys and phone numbers follow the same rules in both places.
 */
export * from './phone';
export * from './vietnamese';
