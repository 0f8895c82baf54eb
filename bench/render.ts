/**
 * Writes bench/results/latest.md and the chart again from latest.json (and bench/notes.md as it is
 * now), measuring nothing: for a change to the notes or the report's layout.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeReport } from './lib/report.ts';

const results = fileURLToPath(new URL('./results/', import.meta.url));
writeReport(results, JSON.parse(readFileSync(`${results}latest.json`, 'utf8')));
console.log('wrote bench/results/latest.md and latency-vs-rows.svg from latest.json');
