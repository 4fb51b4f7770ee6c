/**
 * The results of a benchmark run as the Markdown table of docs/benchmarks.md.
 *   npm run bench:report -- test/bench/results/<date>.json
 */
import { readFileSync } from 'node:fs';
import { BenchResult, resultsTable } from './results';

console.log(resultsTable(JSON.parse(readFileSync(process.argv[2], 'utf8')) as BenchResult));
