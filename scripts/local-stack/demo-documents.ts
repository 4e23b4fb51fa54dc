import pg from 'pg';
import * as Y from 'yjs';
import { clientsCreatedBy, refusalFor } from '../../src/lib/collab/own-words.ts';
import { isPromptType, promptRefusal, type PromptId } from '../../src/lib/collab/prompts.ts';
import { CONTENT_FIELD } from '../../src/lib/collab/protocol.ts';
import { Provenance } from '../../src/lib/server/collab/provenance.ts';
import { createLeases, type Fence } from '../../src/lib/server/collab/lease.ts';
import { createStore } from '../../src/lib/server/collab/store.ts';

/**
 * The demo documents' content, made by code rather than typed into supabase/seed.sql as bytes:
 * each starts from its template (the same builder the app uses), and Sam's care plan then gets a
 * few lines from Sam and from Priya, applied as their own edits through the collab server's own
 * rules and store (judged as the server judges an edit, appended as its author under row-level
 * security, its client bound to its author), so a newcomer sees at once what prompts and "own
 * words" look like.
 */

const SAM = '00000000-0000-4000-8000-000000000001';
const PRIYA = '00000000-0000-4000-8000-000000000003';
export const SAMS_CARE_PLAN = '00000000-0000-4000-8000-0000000000d1';
export const ALEXS_PATHWAY_PLAN = '00000000-0000-4000-8000-0000000000d2';

/** The demo documents seed.sql creates (empty: their content is written here). */
const DEMO_DOCUMENTS = [SAMS_CARE_PLAN, ALEXS_PATHWAY_PLAN];

/** One demo edit: a paragraph of someone's words in a section (after anything already there). */
interface DemoLine {
	author: string;
	section: PromptId;
	words: string;
}

/** What Sam and Priya have written in Sam's care plan, in the order they wrote it. */
export const SAMS_CARE_PLAN_LINES: readonly DemoLine[] = [
	{
		author: SAM,
		section: 'care_plan.about_me',
		words: 'I like football, drawing and my dog Biscuit.'
	},
	{
		author: PRIYA,
		section: 'care_plan.where_i_live',
		words: 'Sam lives with foster carers in Northbridge and is settled there.'
	},
	{
		author: SAM,
		section: 'care_plan.wishes_and_feelings',
		words: 'I want to live with my nan when I am older.'
	},
	{
		author: PRIYA,
		section: 'care_plan.family_and_friends',
		words: 'Sam sees Mum every other Saturday at the family centre.'
	},
	{ author: SAM, section: 'care_plan.family_and_friends', words: 'I want to see my brother more.' }
];

/** Raised when a demo edit breaks a rule the collab server enforces: the demo must obey them. */
export class DemoSeedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DemoSeedError';
	}
}

/** Where a line goes: after the section's prompt and everything written under it so far. */
function endOfSection(fragment: Y.XmlFragment, section: PromptId): number {
	const blocks = fragment.toArray();
	const start = blocks.findIndex((b) => isPromptType(b) && b.getAttribute('promptId') === section);
	if (start < 0) throw new DemoSeedError(`no section ${section} in the demo document`);
	let end = start + 1;
	while (end < blocks.length && !isPromptType(blocks[end])) end++;
	return end;
}

/** Writes one line into the section as its author's editor would: its empty paragraph, else a new one. */
function writeLine(doc: Y.Doc, line: DemoLine): void {
	const fragment = doc.getXmlFragment(CONTENT_FIELD);
	const end = endOfSection(fragment, line.section);
	const last = fragment.get(end - 1);
	const text = new Y.XmlText();
	text.insert(0, line.words);
	if (last instanceof Y.XmlElement && last.nodeName === 'paragraph' && last.length === 0) {
		last.insert(0, [text]);
	} else {
		const paragraph = new Y.XmlElement('paragraph');
		paragraph.insert(0, [text]);
		fragment.insert(end, [paragraph]);
	}
}

/**
 * The demo documents' content, through the collab store on the collab service's own login role
 * (`collabDatabaseUrl`: the only role that writes content): loading each starts it from its
 * template, as the service does when a document is first opened (bound as the template, in the
 * name of the person who started it). Then Sam's and Priya's lines in Sam's care plan, as their
 * edits: each person writes from an editor of their own (one Yjs client each, as one open
 * editor), each edit is judged as the collab server judges it, then appended as its author
 * (the append function checks their access), binding the author's client, so Sam's lines are
 * Sam's own words and Priya's are not. Runs after seed.sql committed.
 */
export async function writeDemoDocuments(collabDatabaseUrl: string): Promise<void> {
	const pool = new pg.Pool({ connectionString: collabDatabaseUrl, max: 2 });
	try {
		const store = createStore(pool, (event, fields) => {
			// Starting a document from its template is expected; anything else is a broken rule.
			if (event === 'document started from its template') return;
			throw new DemoSeedError(`${event} ${JSON.stringify(fields ?? {})}`);
		});
		// Written as a collab node of its own would: under each document's lease, released after.
		const leases = createLeases({ pool, log: () => {}, leaseMs: 60_000 });
		const fences = new Map<string, Fence>();
		for (const id of DEMO_DOCUMENTS) {
			fences.set(id, leases.fence(await leases.acquire(id, () => false)));
		}
		try {
			for (const id of DEMO_DOCUMENTS) {
				if (id !== SAMS_CARE_PLAN) (await store.load(id, fences.get(id) as Fence)).doc.destroy();
			}
			await writeSamsCarePlan(store, fences.get(SAMS_CARE_PLAN) as Fence);
		} finally {
			for (const [id, fence] of fences) await leases.release(id, fence.epoch);
		}
	} finally {
		await pool.end();
	}
}

/** Sam's and Priya's lines in Sam's care plan, each judged and appended as its author's edit. */
async function writeSamsCarePlan(
	store: ReturnType<typeof createStore>,
	fence: Fence
): Promise<void> {
	const loaded = await store.load(SAMS_CARE_PLAN, fence);
	const room = loaded.doc;
	// Who wrote each character, worked out as the collab server does for each edit it applies.
	const provenance = new Provenance(loaded.youngPersonId, loaded.writers, loaded.provenance);
	const editors = new Map<string, Y.Doc>();
	try {
		for (const line of SAMS_CARE_PLAN_LINES) {
			let editor = editors.get(line.author);
			if (!editor) {
				editor = new Y.Doc();
				editors.set(line.author, editor);
			}
			Y.applyUpdate(editor, Y.encodeStateAsUpdate(room, Y.encodeStateVector(editor)));
			// The edit's own update, as the editor would send it.
			const updates: Uint8Array[] = [];
			const capture = (u: Uint8Array) => updates.push(u);
			editor.on('update', capture);
			const writer = editor;
			editor.transact(() => writeLine(writer, line));
			editor.off('update', capture);
			const update = updates[0];
			if (!update || updates.length !== 1) throw new DemoSeedError('a demo line is not one edit');
			const decoded = Y.decodeUpdate(update);
			const refused =
				promptRefusal(room, decoded) ??
				(line.author === loaded.youngPersonId
					? null
					: refusalFor(room, decoded, provenance.ownership, (item) =>
							provenance.restores(item, line.author)
						));
			if (refused) throw new DemoSeedError(`the collab server would refuse: ${refused}`);
			const newClients = [...clientsCreatedBy(room, decoded)].filter((c) => !loaded.writers.has(c));
			const moved = provenance.judge(room, decoded, line.author, newClients);
			Y.applyUpdate(room, update);
			await store.append(SAMS_CARE_PLAN, line.author, update, newClients, moved.runs, fence);
			for (const c of newClients) {
				provenance.bind(c, line.author);
				if (line.author === loaded.youngPersonId) provenance.ownership.clients.add(c);
			}
		}
	} finally {
		for (const editor of editors.values()) editor.destroy();
		room.destroy();
	}
}
