import type { RequestHandler } from './$types';
import { hiddenPage } from '$lib/server/exit';
import { safeNext } from '$lib/server/forms';

/**
 * Where a page already open in another tab goes when it asks for the next page's data while
 * pages are hidden (a data request cannot be answered with a page, so it is sent here).
 */
export const GET: RequestHandler = ({ url }) =>
	hiddenPage(safeNext(url.searchParams.get('next'), '/'));
