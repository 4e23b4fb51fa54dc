import type { RequestHandler } from './$types';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';
import { HTML_LANG } from '$lib/i18n';
import { currentLocale } from '$lib/server/i18n';
import { exportHtml, idOrNotFound, loadVersion, versionNotFound } from '../../record';

/**
 * Downloads one version as a self-contained HTML page (content and every sign-off), for the
 * statutory record, in the language of the request (see exportHtml). The read is audit-logged as
 * an export in the same transaction.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	const user = requireUser(locals);
	const record = await loadVersion(
		user,
		idOrNotFound(params.id),
		idOrNotFound(params.versionId, versionNotFound),
		'export'
	);
	const safeName = `${record.document.title} - ${record.version.name}`
		.replace(/[^A-Za-z0-9 ,._-]+/g, '')
		.trim()
		.slice(0, 100);
	const filename = `${safeName || m.record_export_file_name()}.html`;
	return new Response(exportHtml(record), {
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'content-language': HTML_LANG[currentLocale()],
			'cache-control': 'no-store'
		}
	});
};
