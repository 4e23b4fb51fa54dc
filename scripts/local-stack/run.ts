/**
 * The local stack with demo data, then the app (run by scripts/start.ts in its own process group).
 * With DATABASE_URL, SUPABASE_URL and SUPABASE_ANON_KEY set, it starts none of the local parts
 * and runs the app against those instead.
 *
 * `npm start` serves the production build (scripts/local-stack/app.ts: built first when missing
 * or stale), exactly what the e2e tests exercise. `npm run dev` (`--dev`) serves the same app
 * through Vite's dev server with hot reload, for development only.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { buildIfStale, startApp } from './app.ts';
import { collabTimings } from '../../src/lib/server/collab/config.ts';
import { createCollabServer, type CollabServer } from '../../src/lib/server/collab/server.ts';
import { startLocalStack, type LocalStack } from './stack.ts';

const DEMO_PASSPHRASE = 'in-my-words-demo';
const DEMO_SIGN_INS: [string, string][] = [
	['Young person (no email, signs in with a username)', 'sam'],
	['Care leaver (username)', 'alex'],
	['Parent', 'jo.parent@example.org'],
	['Social worker', 'priya.socialworker@example.org'],
	['Personal adviser', 'dan.adviser@example.org'],
	['Advocate', 'amara.advocate@example.org'],
	['Service designer', 'lee.designer@example.org'],
	['Admin', 'morgan.admin@example.org']
];

const port = Number(process.env.PORT ?? 5173);
const dev = process.argv.includes('--dev');
const url = `http://localhost:${port}`;

/** `.data/` in the project, unless IN_MY_WORDS_DATA_DIR says otherwise. */
function localDataDir(): string {
	return path.resolve(process.env.IN_MY_WORDS_DATA_DIR ?? '.data');
}
const external = Boolean(
	process.env.DATABASE_URL && process.env.SUPABASE_URL && process.env.SUPABASE_ANON_KEY
);

let stack: LocalStack | null = null;
if (!external) {
	console.log('Starting the local stack (Postgres, auth, collab) …');
	stack = await startLocalStack({
		dataDir: localDataDir(),
		postgresPort: Number(process.env.POSTGRES_PORT ?? 54322),
		authPort: Number(process.env.AUTH_PORT ?? 54321),
		collabPort: Number(process.env.COLLAB_PORT ?? 1234),
		appOrigin: url,
		seed: true,
		log: (line) => console.log(`  ${line}`)
	});
	Object.assign(process.env, stack.env);
}

// Against a hosted database, the collab server is still ours to run, unless one is configured.
let externalCollab: CollabServer | null = null;
if (external && !process.env.COLLAB_URL) {
	if (!process.env.COLLAB_DATABASE_URL) {
		// The collab service writes content as its own role; the app's cannot (see README).
		throw new Error('Set COLLAB_DATABASE_URL (the in_my_words_collab login role), or COLLAB_URL.');
	}
	const secret = process.env.COLLAB_TICKET_SECRET ?? randomBytes(32).toString('base64url');
	externalCollab = createCollabServer({
		databaseUrl: process.env.COLLAB_DATABASE_URL,
		ticketSecret: secret,
		allowedOrigins: [url],
		...collabTimings()
	});
	const collabPort = await externalCollab.listen(Number(process.env.COLLAB_PORT ?? 1234));
	Object.assign(process.env, {
		COLLAB_URL: `ws://localhost:${collabPort}`,
		COLLAB_TICKET_SECRET: secret
	});
}

/** Stops whichever app runs: the production server or Vite's dev server. */
let stopApp: () => Promise<void>;
if (dev) {
	// Imported only here: the production path never loads Vite.
	const { createServer } = await import('vite');
	const vite = await createServer({
		server: { port, strictPort: true, host: 'localhost' },
		logLevel: 'warn'
	});
	await vite.listen();
	stopApp = () => vite.close();
} else {
	if (await buildIfStale()) console.log('Built.');
	const app = await startApp({
		port,
		origin: url,
		env: stack?.env ?? {}
	});
	stopApp = app.stop;
}

let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	console.log(`\n${signal}: stopping …`);
	await stopApp();
	await externalCollab?.close();
	await stack?.stop();
	console.log('Stopped. Your data is kept for next time.');
	process.exit(0);
}
process.on('SIGUSR2', () => void stop('Ctrl-C'));
process.on('SIGINT', () => void stop('Ctrl-C'));
process.on('SIGTERM', () => void stop('SIGTERM'));

console.log(`\nIn My Words is running${dev ? ' (development server)' : ''}. Open ${url}\n`);
if (stack) {
	console.log(`Demo sign-ins (passphrase for all: ${DEMO_PASSPHRASE}):`);
	for (const [who, name] of DEMO_SIGN_INS) console.log(`  ${who.padEnd(52)} ${name}`);
	console.log(
		`\nAuth: ${stack.env.SUPABASE_URL}   Collab: ${stack.env.COLLAB_URL}   Postgres: port ${process.env.POSTGRES_PORT ?? 54322}`
	);
} else {
	console.log('Using DATABASE_URL and SUPABASE_URL from the environment (no local stack).');
}
console.log('Press Ctrl-C to stop.');
