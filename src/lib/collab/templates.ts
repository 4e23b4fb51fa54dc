import * as Y from 'yjs';
import { CONTENT_FIELD } from './protocol.ts';
import { promptElement, type PromptId } from './prompts.ts';

/**
 * The templates documents start from, and the pure builder of their first content. Shared by
 * the app and the collab server (and the demo seed): plain TypeScript with relative imports, so
 * Node's type stripping can load it.
 */

/** The kinds of document that start from a template (public.document_kind). */
export type TemplateKind = 'care_plan' | 'pathway_plan' | 'my_story';

export interface DocumentTemplate {
	kind: TemplateKind;
	/** Its sections, in order: each a prompt (heading and question) from the catalogue. */
	sections: readonly PromptId[];
}

/**
 * The sections each kind of document starts with. Care plans follow the Care Planning, Placement
 * and Case Review (England) Regulations 2010 (reg 5) and pathway plans the Care Leavers (England)
 * Regulations 2010 (Sch 1), in the child-friendly headings of the product brief, so a plan written
 * here covers what the law asks without reading like a form. Prompts speak to the young person.
 */
export const TEMPLATES: Record<TemplateKind, DocumentTemplate> = {
	care_plan: {
		kind: 'care_plan',
		sections: [
			'care_plan.about_me',
			'care_plan.wishes_and_feelings',
			'care_plan.where_i_live',
			'care_plan.family_and_friends',
			'care_plan.health',
			'care_plan.school_and_learning',
			'care_plan.who_i_am',
			'care_plan.feelings_and_behaviour',
			'care_plan.looking_after_myself',
			'care_plan.next_steps',
			'care_plan.long_term_plan',
			'care_plan.iro'
		]
	},
	pathway_plan: {
		kind: 'pathway_plan',
		sections: [
			'pathway_plan.support_and_contact',
			'pathway_plan.education_or_training',
			'pathway_plan.work',
			'pathway_plan.if_things_go_wrong',
			'pathway_plan.where_i_live',
			'pathway_plan.family_and_friends',
			'pathway_plan.living_skills',
			'pathway_plan.money',
			'pathway_plan.health_and_wellbeing',
			'pathway_plan.who_i_am'
		]
	},
	my_story: {
		kind: 'my_story',
		sections: [
			'my_story.about_me',
			'my_story.people_who_matter',
			'my_story.places_i_have_lived',
			'my_story.my_schools',
			'my_story.a_day_i_remember',
			'my_story.my_hopes'
		]
	}
};

/**
 * Writes a template into an empty document: for each section its prompt node (heading and
 * question, which nobody can change) and an empty paragraph to write in. Pure: the same kind
 * always gives the same structure, only the Yjs client id differs (the doc's own).
 */
export function buildTemplate(doc: Y.Doc, kind: TemplateKind): void {
	const blocks: Y.XmlElement[] = [];
	for (const id of TEMPLATES[kind].sections) {
		blocks.push(promptElement(id), new Y.XmlElement('paragraph'));
	}
	doc.getXmlFragment(CONTENT_FIELD).insert(0, blocks);
}

/**
 * A new document's first content as one Yjs update, made by a fresh Y.Doc (so a client id of its
 * own, which the caller binds as the template's: nobody's own words).
 */
export function initialContent(kind: TemplateKind): Uint8Array {
	const doc = new Y.Doc();
	buildTemplate(doc, kind);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}
