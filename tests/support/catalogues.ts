import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The message catalogues (messages/{locale}.json) as the tests read them: shared by the test that
 * they are complete (src/lib/catalogues.test.ts) and the plain-words test.
 */
const root = path.resolve(import.meta.dirname, '../..');

export type Catalogue = Record<string, unknown>;

/** One language's messages by key, without the file's `$schema`. */
export function catalogue(locale: string): Catalogue {
	const messages = JSON.parse(readFileSync(path.join(root, 'messages', `${locale}.json`), 'utf8'));
	delete messages.$schema;
	return messages;
}

/** Every piece of text in a message: a string, or each variant of a message with variants. */
export function texts(message: unknown): string[] {
	if (typeof message === 'string') return [message];
	if (Array.isArray(message)) {
		return message.flatMap((variant: { match?: Record<string, string> }) =>
			Object.values(variant.match ?? {})
		);
	}
	throw new Error(`not a message: ${JSON.stringify(message)}`);
}
