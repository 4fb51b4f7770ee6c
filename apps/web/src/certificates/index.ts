// The certificate settings of a unit (who signs, its seal); the page is loaded as a chunk (src/app/App.tsx).
export {};
