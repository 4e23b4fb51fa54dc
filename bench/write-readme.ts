/**
 * `npm run bench:readme`: rewrites the README's performance figures from
 * bench/results/latest.json (see bench/readme.ts). Run it after `npm run bench`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateReadme } from './readme.ts';
import type { Results } from './targets.ts';

const root = path.join(import.meta.dirname, '..');
const readmePath = path.join(root, 'README.md');
const results = JSON.parse(
	readFileSync(path.join(import.meta.dirname, 'results/latest.json'), 'utf8')
) as Results;
const before = readFileSync(readmePath, 'utf8');
const after = await generateReadme(before, results, readmePath);
writeFileSync(readmePath, after);
console.error(
	before === after ? 'README.md figures already up to date.' : 'README.md figures rewritten.'
);
