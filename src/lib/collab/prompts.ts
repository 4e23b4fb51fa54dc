import * as Y from 'yjs';
import { liveItemsDeleted } from './deleted-items.ts';

/**
 * Template prompts: the headings and questions a plan or story starts with. They are not text
 * anyone wrote, so they are not text at all: each is one `sectionPrompt` node (a Yjs XmlElement
 * with attributes and no children) that nobody can split, edit or delete, carrying a stable prompt
 * id so it can be shown in the reader's language (the message catalogues give every id its own
 * words; see prompt-catalogue.ts). The English words are also stored on the node, as a fallback
 * for ids a catalogue does not know.
 *
 * Shared by the browser (the editor's node), the app (rendering, comparing) and the collab server
 * (refusing changes to prompts), so all draw the same line. Plain TypeScript with relative imports
 * only: the collab server imports it with Node's type stripping.
 */

/** The node's name, in ProseMirror (Tiptap) and in Yjs alike. */
export const PROMPT_NODE = 'sectionPrompt';

/** A section's child-friendly heading and the question under it, in one language. */
export interface PromptWords {
	heading: string;
	prompt: string;
}

/**
 * The English words of every prompt, by id. Ids never change once used (documents keep them);
 * the words may be improved, and every document then shows the improved words.
 */
export const PROMPTS = {
	// Care plans: Care Planning, Placement and Case Review (England) Regulations 2010, reg 5.
	'care_plan.about_me': {
		heading: 'About me',
		prompt: 'What do you want people to know about you?'
	},
	'care_plan.wishes_and_feelings': {
		heading: 'My wishes and feelings',
		prompt: 'What do you want to happen? How do you feel about things right now?'
	},
	'care_plan.where_i_live': {
		heading: 'Where I live',
		prompt: 'Where do you live, and what is it like there?'
	},
	'care_plan.family_and_friends': {
		heading: 'Family and friends',
		prompt: 'Who do you want to see or talk to, and how often?'
	},
	'care_plan.health': {
		heading: 'Health',
		prompt: 'How are you feeling? Is there anything about your health?'
	},
	'care_plan.school_and_learning': {
		heading: 'School and learning',
		prompt: 'How is school going? What are you good at, and what would help?'
	},
	'care_plan.who_i_am': {
		heading: 'Who I am',
		prompt: 'What matters to you about your religion, culture or language?'
	},
	'care_plan.feelings_and_behaviour': {
		heading: 'Feelings and behaviour',
		prompt: 'What helps when things feel hard?'
	},
	'care_plan.looking_after_myself': {
		heading: 'Looking after myself',
		prompt: 'What can you do for yourself already?'
	},
	'care_plan.next_steps': {
		heading: 'What needs to happen, who will help, by when',
		prompt: 'What will happen next? Who will do it, and when?'
	},
	'care_plan.long_term_plan': {
		heading: 'My long-term plan',
		prompt: 'Where do you hope to be living when you are older?'
	},
	'care_plan.iro': {
		heading: 'My IRO',
		prompt: 'Who is your IRO, and how can you get in touch with them?'
	},
	// Pathway plans: Care Leavers (England) Regulations 2010, Schedule 1.
	'pathway_plan.support_and_contact': {
		heading: 'Support and contact',
		prompt: 'Who helps you, and how do you want to keep in touch with them?'
	},
	'pathway_plan.education_or_training': {
		heading: 'Education or training',
		prompt: 'What do you want to learn or study?'
	},
	'pathway_plan.work': { heading: 'Work', prompt: 'What work would you like to do?' },
	'pathway_plan.if_things_go_wrong': {
		heading: 'If things go wrong',
		prompt: 'If something goes wrong, what will you do, and who can you call?'
	},
	'pathway_plan.where_i_live': {
		heading: 'Where I live',
		prompt: 'Where do you live now, and where do you want to live?'
	},
	'pathway_plan.family_and_friends': {
		heading: 'Family and friends',
		prompt: 'Who matters to you?'
	},
	'pathway_plan.living_skills': {
		heading: 'Living skills',
		prompt: 'What can you do already, like cooking or shopping? What do you want to learn?'
	},
	'pathway_plan.money': {
		heading: 'Money',
		prompt: 'What money do you have, and what help do you need with it?'
	},
	'pathway_plan.health_and_wellbeing': {
		heading: 'Health and wellbeing',
		prompt: 'How are you feeling, in body and mind?'
	},
	'pathway_plan.who_i_am': {
		heading: 'Who I am',
		prompt: 'What matters to you about who you are?'
	},
	// My story (life story work).
	'my_story.about_me': {
		heading: 'About me',
		prompt: 'What do you want people to know about you?'
	},
	'my_story.people_who_matter': {
		heading: 'People who matter to me',
		prompt: 'Who is important to you, and why?'
	},
	'my_story.places_i_have_lived': {
		heading: 'Places I have lived',
		prompt: 'Where have you lived? What do you remember about each place?'
	},
	'my_story.my_schools': {
		heading: 'My schools',
		prompt: 'Which schools have you been to? What was good?'
	},
	'my_story.a_day_i_remember': {
		heading: 'A day I remember',
		prompt: 'Tell the story of a day you remember.'
	},
	'my_story.my_hopes': { heading: 'My hopes', prompt: 'What do you hope for in the future?' }
} as const satisfies Record<string, PromptWords>;

export type PromptId = keyof typeof PROMPTS;

/** What a prompt node carries (all three always set, so no editor ever fills in a default). */
export interface PromptAttrs {
	promptId: string;
	heading: string;
	prompt: string;
}

export function isPromptId(id: unknown): id is PromptId {
	return typeof id === 'string' && Object.hasOwn(PROMPTS, id);
}

/**
 * A prompt node's English words: PROMPTS' for its id, else the words stored on the node (an id
 * from a newer catalogue, or one since retired). Never anyone's own words. Pages and renders
 * show `localPromptWords` (prompt-catalogue.ts), in the reader's language, which falls back here.
 */
export function promptWords(attrs: Partial<Record<keyof PromptAttrs, unknown>>): PromptWords {
	if (isPromptId(attrs.promptId)) return PROMPTS[attrs.promptId];
	return {
		heading: typeof attrs.heading === 'string' ? attrs.heading : '',
		prompt: typeof attrs.prompt === 'string' ? attrs.prompt : ''
	};
}

/** A new prompt element for a document, as the template builder makes it. */
export function promptElement(id: PromptId): Y.XmlElement {
	const element = new Y.XmlElement(PROMPT_NODE);
	const words = PROMPTS[id];
	element.setAttribute('promptId', id);
	element.setAttribute('heading', words.heading);
	element.setAttribute('prompt', words.prompt);
	return element;
}

/** Is this Yjs type a prompt node? */
export function isPromptType(type: unknown): type is Y.XmlElement {
	return type instanceof Y.XmlElement && type.nodeName === PROMPT_NODE;
}

/** Does this item hold a prompt node, or anything holding one (deleting it would delete a prompt)? */
function holdsPrompt(item: Y.Item): boolean {
	if (!(item.content instanceof Y.ContentType)) return false;
	const type = item.content.type;
	if (isPromptType(type)) return true;
	for (let child = type._start; child !== null; child = child.right) {
		if (!child.deleted && holdsPrompt(child)) return true;
	}
	return false;
}

export type PromptRefusal = 'changes-prompt';

/**
 * Would applying this (decoded) update change a template prompt? It would if it deletes a prompt
 * (or anything holding one), deletes or adds anything inside one (its attributes are items
 * inside it), or makes a new one: prompts come only from a template, never from an editor, so
 * nobody can put words in a document dressed as its questions. Everything else, including
 * writing right next to a prompt, is fine.
 *
 * Judged before the update is applied, against the document as the server holds it, for every
 * sender (the young person too: the prompts are the template's, not theirs). An item whose
 * place the server cannot know yet (its neighbour has not arrived) waits in Yjs until that
 * neighbour comes, and that neighbour is judged when it does, so it is let through here.
 * Linear in the size of the update and of what it deletes.
 */
export function promptRefusal(
	doc: Y.Doc,
	decoded: ReturnType<typeof Y.decodeUpdate>
): PromptRefusal | null {
	// Items this update creates, by client, to follow neighbours inside the update.
	const created = new Map<number, Y.Item[]>();
	for (const struct of decoded.structs) {
		if (!(struct instanceof Y.Item)) continue;
		if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
		if (struct.content instanceof Y.ContentType && isPromptType(struct.content.type)) {
			return 'changes-prompt';
		}
		const list = created.get(struct.id.client) ?? [];
		list.push(struct);
		created.set(struct.id.client, list);
	}

	for (const { item } of liveItemsDeleted(doc, decoded.ds)) {
		if (holdsPrompt(item) || isPromptType(item.parent)) return 'changes-prompt';
	}

	const stored = (id: Y.ID): Y.Item | Y.GC | null =>
		id.clock < Y.getState(doc.store, id.client)
			? (Y.getItem(doc.store, id) as Y.Item | Y.GC)
			: null;
	const findCreated = (id: Y.ID): Y.Item | null => {
		const list = created.get(id.client);
		if (!list) return null;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const item = list[mid] as Y.Item;
			if (id.clock < item.id.clock) hi = mid - 1;
			else if (id.clock >= item.id.clock + item.length) lo = mid + 1;
			else return item;
		}
		return null;
	};
	/** Items already known to go somewhere other than a stored prompt. */
	const judged = new Set<Y.Item>();
	for (const items of created.values()) {
		for (const item of items) {
			// Follow neighbours (an item goes in its neighbour's parent) until something stored;
			// chains inside one update are walked iteratively, so a long one cannot overflow.
			const chain: Y.Item[] = [];
			let current: Y.Item | null = item;
			let parent: unknown = null;
			while (current && !judged.has(current)) {
				chain.push(current);
				const neighbour: Y.ID | null = current.origin ?? current.rightOrigin;
				const named = current.parent as unknown;
				if (neighbour) {
					const found = stored(neighbour);
					if (found) {
						parent = found instanceof Y.Item ? found.parent : null;
						break;
					}
					current = findCreated(neighbour);
				} else {
					if (named instanceof Y.ID) {
						const found = stored(named);
						parent =
							found instanceof Y.Item && found.content instanceof Y.ContentType
								? found.content.type
								: null;
					}
					break;
				}
			}
			if (isPromptType(parent)) return 'changes-prompt';
			for (const link of chain) judged.add(link);
		}
	}
	return null;
}
