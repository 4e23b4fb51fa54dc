import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Playwright cannot download its own browser here, so e2e tests use Debian's Chromium. Installs
 * it with apt-get when missing and we are root (CI runs as root on a fresh machine).
 */
export function ensureChromium(): string {
	if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`Chromium is not installed at ${CHROMIUM_PATH}. Install it with: sudo apt-get install -y chromium`
		);
	}
	console.log('Installing Chromium from Debian (apt-get install chromium) …');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
		stdio: 'inherit',
		env
	});
	if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get ran but ${CHROMIUM_PATH} is missing`);
	return CHROMIUM_PATH;
}
