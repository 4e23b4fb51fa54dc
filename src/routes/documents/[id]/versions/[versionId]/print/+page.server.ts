import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/guards';
import { idOrNotFound, loadVersion, versionNotFound } from '../../record';

/** A clean page of one version for printing; the read is audit-logged as a print. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	return loadVersion(
		user,
		idOrNotFound(params.id),
		idOrNotFound(params.versionId, versionNotFound),
		'print'
	);
};
