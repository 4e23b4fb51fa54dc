import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * CPU time used by each part of a benchmark run (user + system, all threads), read from Linux's
 * /proc: on a small machine the collab server, Postgres and the editors' process share the same
 * cores, so a latency ratio alone does not say whose work it is. Elsewhere (no /proc) every
 * reading is null and the figures say so.
 */

/** CPU milliseconds so far of each named part. */
export type CpuReading = Record<string, number | null>;

let ticksPerSecond: number | null = null;

/** /proc counts in clock ticks (USER_HZ), 100 a second on every common Linux. */
function ticks(): number {
	if (ticksPerSecond === null) {
		try {
			ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
		} catch {
			ticksPerSecond = 100;
		}
		if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
	}
	return ticksPerSecond;
}

/** The fields of /proc/<pid>/stat after the command name, or null if it has gone. */
function statFields(pid: number): string[] | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name is in parentheses and may itself hold spaces or parentheses.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return null;
	}
}

/**
 * A process's own CPU ms and, with `withChildren`, that of its children that have exited and
 * been waited for (fields utime, stime, cutime, cstime; counted from the state field).
 */
function processMs(fields: string[], withChildren: boolean): number {
	const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
	const own = (utime ?? 0) + (stime ?? 0);
	const exited = withChildren ? (cutime ?? 0) + (cstime ?? 0) : 0;
	return ((own + exited) * 1000) / ticks();
}

/** CPU ms of the given processes together; null if none could be read. */
export function processesCpuMs(pids: number[]): number | null {
	let total = 0;
	let read = 0;
	for (const pid of pids) {
		const fields = statFields(pid);
		if (!fields) continue;
		total += processMs(fields, false);
		read++;
	}
	return read > 0 ? total : null;
}

/**
 * CPU ms of a Postgres server: its postmaster (named in `postmaster.pid` in its data directory)
 * and every process it started, including backends that have exited since (their time is added
 * to the postmaster's children's time when it reaps them, so a difference of two readings counts
 * a backend that ended between them once).
 */
export function postgresCpuMs(dataDir: string): number | null {
	let postmaster: number;
	try {
		postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
	} catch {
		return null;
	}
	const own = statFields(postmaster);
	if (!own) return null;
	let total = processMs(own, true);
	let entries: string[];
	try {
		entries = readdirSync('/proc');
	} catch {
		return null;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		const fields = statFields(Number(entry));
		// Field 4 of stat (index 1 here) is the parent's pid.
		if (fields && Number(fields[1]) === postmaster) total += processMs(fields, false);
	}
	return total;
}

/** This process's CPU ms (the editors, in the collab benchmark). */
export function ownCpuMs(): number {
	const { user, system } = process.cpuUsage();
	return (user + system) / 1000;
}

/** Each part's CPU ms between two readings (null where either could not be read). */
export function cpuBetween(before: CpuReading, after: CpuReading): CpuReading {
	const out: CpuReading = {};
	for (const [part, end] of Object.entries(after)) {
		const start = before[part];
		out[part] = end === null || start === null || start === undefined ? null : end - start;
	}
	return out;
}
