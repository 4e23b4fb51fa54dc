import * as Y from 'yjs';
// Relative, with `.ts`: the collab service (plain Node) builds new documents from these.
import { CONTENT_FIELD } from '../../collab/protocol.ts';
import type { DocumentKind } from '../db/schema-documents.ts';

/** One section of a template: a child-friendly heading and a short prompt under it. */
export interface TemplateSection {
	heading: string;
	prompt: string;
}

export interface DocumentTemplate {
	kind: DocumentKind;
	/** What the document is called, for example "Sam's care plan". */
	title: (youngPersonName: string) => string;
	sections: readonly TemplateSection[];
}

/**
 * The sections each kind of document starts with. Care plans follow the Care Planning, Placement
 * and Case Review (England) Regulations 2010 (reg 5) and pathway plans the Care Leavers (England)
 * Regulations 2010 (Sch 1), in the child-friendly headings of the product brief, so a plan written
 * here covers what the law asks without reading like a form. Prompts speak to the young person.
 */
export const TEMPLATES: Record<DocumentKind, DocumentTemplate> = {
	care_plan: {
		kind: 'care_plan',
		title: (name) => `${name}'s care plan`,
		sections: [
			{ heading: 'About me', prompt: 'What do you want people to know about you?' },
			{
				heading: 'My wishes and feelings',
				prompt: 'What do you want to happen? How do you feel about things right now?'
			},
			{ heading: 'Where I live', prompt: 'Where do you live, and what is it like there?' },
			{
				heading: 'Family and friends',
				prompt: 'Who do you want to see or talk to, and how often?'
			},
			{ heading: 'Health', prompt: 'How are you feeling? Is there anything about your health?' },
			{
				heading: 'School and learning',
				prompt: 'How is school going? What are you good at, and what would help?'
			},
			{
				heading: 'Who I am',
				prompt: 'What matters to you about your religion, culture or language?'
			},
			{
				heading: 'Feelings and behaviour',
				prompt: 'What helps when things feel hard?'
			},
			{ heading: 'Looking after myself', prompt: 'What can you do for yourself already?' },
			{
				heading: 'What needs to happen, who will help, by when',
				prompt: 'What will happen next? Who will do it, and when?'
			},
			{
				heading: 'My long-term plan',
				prompt: 'Where do you hope to be living when you are older?'
			},
			{ heading: 'My IRO', prompt: 'Who is your IRO, and how can you get in touch with them?' }
		]
	},
	pathway_plan: {
		kind: 'pathway_plan',
		title: (name) => `${name}'s pathway plan`,
		sections: [
			{
				heading: 'Support and contact',
				prompt: 'Who helps you, and how do you want to keep in touch with them?'
			},
			{ heading: 'Education or training', prompt: 'What do you want to learn or study?' },
			{ heading: 'Work', prompt: 'What work would you like to do?' },
			{
				heading: 'If things go wrong',
				prompt: 'If something goes wrong, what will you do, and who can you call?'
			},
			{ heading: 'Where I live', prompt: 'Where do you live now, and where do you want to live?' },
			{ heading: 'Family and friends', prompt: 'Who matters to you?' },
			{
				heading: 'Living skills',
				prompt: 'What can you do already, like cooking or shopping? What do you want to learn?'
			},
			{ heading: 'Money', prompt: 'What money do you have, and what help do you need with it?' },
			{ heading: 'Health and wellbeing', prompt: 'How are you feeling, in body and mind?' },
			{ heading: 'Who I am', prompt: 'What matters to you about who you are?' }
		]
	},
	my_story: {
		kind: 'my_story',
		title: () => 'My story',
		sections: [
			{ heading: 'About me', prompt: 'What do you want people to know about you?' },
			{ heading: 'People who matter to me', prompt: 'Who is important to you, and why?' },
			{
				heading: 'Places I have lived',
				prompt: 'Where have you lived? What do you remember about each place?'
			},
			{ heading: 'My schools', prompt: 'Which schools have you been to? What was good?' },
			{ heading: 'A day I remember', prompt: 'Tell the story of a day you remember.' },
			{ heading: 'My hopes', prompt: 'What do you hope for in the future?' }
		]
	}
};

/**
 * A new document's first content as one Yjs update: for each section a heading (level 2), the
 * prompt in italics, and an empty paragraph to write in. The collab service stores it as the
 * document's first edit when it first loads the empty document (in the name of the person who
 * started it, bound as template: nobody's own words), so it is saved and replayed like any
 * other; until then the app renders a fresh copy of it.
 */
export function initialContent(kind: DocumentKind): Uint8Array {
	const doc = new Y.Doc();
	const blocks: Y.XmlElement[] = [];
	for (const section of TEMPLATES[kind].sections) {
		const heading = new Y.XmlElement('heading');
		// A number, as Tiptap's heading node keeps it (the string '2' renders as a level 1). Yjs
		// types attribute values as strings by default, though it stores any JSON value.
		(heading as unknown as Y.XmlElement<{ level: number }>).setAttribute('level', 2);
		heading.insert(0, [new Y.XmlText(section.heading)]);
		const prompt = new Y.XmlElement('paragraph');
		const promptText = new Y.XmlText();
		promptText.insert(0, section.prompt, { italic: {} });
		prompt.insert(0, [promptText]);
		blocks.push(heading, prompt, new Y.XmlElement('paragraph'));
	}
	doc.getXmlFragment(CONTENT_FIELD).insert(0, blocks);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}
