import type { Transaction } from 'kysely';
import type { Database } from './schema';

/**
 * The same type as `Tx` in ./index, declared here without importing ./index (which reads the
 * app's config through `$lib`), so bench/surveys.bench.ts can run these query modules with tsx
 * and type-check them with tsconfig.scripts.json.
 */
export type Tx = Transaction<Database>;
