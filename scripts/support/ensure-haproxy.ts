import { existsSync } from 'node:fs';
import { aptInstall } from './apt.ts';

export const HAPROXY_PATH = process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy';

/**
 * The proxy test (tests/collab/proxy.test.ts) runs the real HAProxy in front of collab nodes,
 * with the configuration we ship (deploy/haproxy/collab.cfg). Installs Debian's haproxy with
 * apt-get when missing and we are root (CI runs as root on a fresh machine); otherwise, or if apt
 * fails, this throws with apt's message so the test fails (it never skips).
 */
export function ensureHaproxy(): string {
	if (existsSync(HAPROXY_PATH)) return HAPROXY_PATH;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`HAProxy is not installed at ${HAPROXY_PATH}. Install it with: sudo apt-get install -y haproxy`
		);
	}
	aptInstall('haproxy');
	if (!existsSync(HAPROXY_PATH)) throw new Error(`apt-get ran but ${HAPROXY_PATH} is missing`);
	return HAPROXY_PATH;
}
