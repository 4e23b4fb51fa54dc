import type { TemplateKind } from '$lib/collab/templates';
import { m } from '$lib/paraglide/messages.js';

/**
 * What a new document is called, in the language of whoever starts it: it is stored, so it stays
 * in that language for everyone who reads it later (like any words people write).
 */
export function documentTitle(kind: TemplateKind, youngPersonName: string): string {
	if (kind === 'care_plan') return m.record_title_care_plan({ name: youngPersonName });
	if (kind === 'pathway_plan') return m.record_title_pathway_plan({ name: youngPersonName });
	return m.record_title_my_story();
}
