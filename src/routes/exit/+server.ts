import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { exitSite, markLeft } from '$lib/server/exit';

/**
 * "Exit this page": remember (for a short while) that this browser left, so pages that show
 * anything private answer with a neutral page if Back brings them up again, then go to the
 * neutral site. Clear-Site-Data empties this site's cache, the back-forward cache included.
 * A GET, so it works as a plain link with no script (a form could not redirect to another site
 * under our `form-action 'self'` policy).
 */
export const GET: RequestHandler = ({ cookies, url, setHeaders }) => {
	markLeft(cookies, url.protocol === 'https:');
	setHeaders({ 'cache-control': 'no-store', 'clear-site-data': '"cache"' });
	redirect(303, exitSite());
};
