/**
 * Canary for the unit gate: never part of a normal run (no include pattern matches `.canary.ts`).
 * `npm test` runs `npm run test:unit` with TEST_CANARY set to a marker path; this file proves it
 * ran by writing the marker, then fails. If that run still exits 0, the runner swallows failures.
 */
import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('fails on purpose (canary)', () => {
	writeFileSync(process.env.TEST_CANARY!, 'unit canary ran\n');
	expect('the unit gate').toBe('able to fail');
});
