import { existsSync } from 'node:fs';
import { aptInstall } from './apt.ts';

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
	aptInstall('chromium');
	if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get ran but ${CHROMIUM_PATH} is missing`);
	return CHROMIUM_PATH;
}
