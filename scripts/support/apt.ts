import { execFileSync } from 'node:child_process';

/**
 * Installs a Debian package with apt-get (these machines reach Debian's archive and the npm
 * registry only). Callers check first, and call this only as root: CI runs as root on a fresh
 * machine, and what the project needs must be installed by its own files.
 */
export function aptInstall(name: string): void {
	console.log(`Installing ${name} from Debian (apt-get install ${name}) …`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '--no-install-recommends', name], {
		stdio: 'inherit',
		env
	});
}
