import type { Tx } from './index';

/** Advocacy services everyone signed in may see, so a young person can find an advocate. */
export async function listAdvocacyServices(tx: Tx) {
	return tx
		.selectFrom('organisations')
		.select(['id', 'name'])
		.where('kind', '=', 'advocacy_service')
		.orderBy('name')
		.execute();
}
