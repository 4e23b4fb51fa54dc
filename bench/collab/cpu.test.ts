import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuBetween, ownCpuMs, postgresCpuMs, processesCpuMs } from './cpu.ts';

/** Spins until this process has used `ms` more CPU time (by its own account, not the clock). */
function burn(ms: number): void {
	const until = ownCpuMs() + ms;
	let x = 0;
	while (ownCpuMs() < until) x += Math.sqrt(x + 1);
	expect(x).toBeGreaterThan(0);
}

describe("the collab benchmark's CPU readings", () => {
	it("read a process's CPU time from /proc, as it grows", () => {
		const before = processesCpuMs([process.pid]);
		expect(before).not.toBeNull();
		burn(80);
		const after = processesCpuMs([process.pid]) as number;
		// /proc counts in 10 ms ticks.
		expect(after - (before as number)).toBeGreaterThanOrEqual(60);
	});

	it('say null for what they cannot read, never 0', () => {
		expect(processesCpuMs([2 ** 22 + 1])).toBeNull();
		expect(postgresCpuMs(path.join(tmpdir(), 'no-such-postgres'))).toBeNull();
		expect(cpuBetween({ server: 5, postgres: null }, { server: 9, postgres: 4, proxy: 1 })).toEqual(
			{ server: 4, postgres: null, proxy: null }
		);
	});

	it("count a Postgres server's postmaster from its data directory", () => {
		const dataDir = mkdtempSync(path.join(tmpdir(), 'imw-cpu-test-'));
		try {
			// This process stands in for the postmaster: the pid file's first line names it.
			writeFileSync(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
			burn(30);
			// Read second, so it cannot be behind the process's own reading: CPU time only grows.
			const own = processesCpuMs([process.pid]) as number;
			const reading = postgresCpuMs(dataDir) as number;
			expect(own).toBeGreaterThanOrEqual(30);
			expect(reading).toBeGreaterThanOrEqual(own);
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
