// @vitest-environment jsdom
import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import StarterKit from '@tiptap/starter-kit';
import * as decoding from 'lib0/decoding';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { Ownership } from '../../src/lib/collab/own-words.ts';
import {
	createUndoManager,
	OwnWords,
	refreshOwnWords
} from '../../src/lib/collab/own-words-extension.ts';
import {
	COLLAB_PROTOCOL,
	CONTENT_FIELD,
	isUpdateBearing,
	MESSAGE_OWN_RUNS,
	MESSAGE_OWN_WORDS,
	MESSAGE_SAVED,
	readOwnRuns,
	readOwnWords
} from '../../src/lib/collab/protocol.ts';
import { createCollabServer, type CollabServer } from '../../src/lib/server/collab/server.ts';
import { signTicket } from '../../src/lib/server/collab/ticket.ts';
import { createCast, loadFromDb, ORIGIN, prng, TEST_SECRET } from './support.ts';
import { chooseStep, isSams, PRIYA_LETTERS, SAM_LETTERS, type Writer } from './own-words-steps.ts';

/**
 * A property test of "in my own words" with real editors: two Tiptap editors with y-tiptap (the
 * young person, Sam, and a social worker, Priya) write through the real collab server into real
 * Postgres, taking random turns at typing, Enter in the middle of anyone's words, Backspace at a
 * block's start (joins, lifts), deleting, pasting, undo and redo, list and heading toggles.
 *
 * The oracle needs no model: Sam only ever types a–m and Priya only n–z (pasting inserts fresh
 * text from the paster's letters), so each character says who wrote it. After every step, once
 * both editors have converged and every edit is saved: each editor shows exactly the a–m
 * characters as Sam's own words, and the document and provenance the database holds say the
 * same. Edits Priya's editor turns into suggestions simply do not happen; an edit the server
 * refuses (close 4409) fails the run, since the editor must never send one.
 *
 * `OWN_WORDS_SEED=<n>` re-runs one seed (or `<n>,<m>,…` several); `OWN_WORDS_STEPS` changes the steps per seed.
 */
/**
 * Seeds that once failed, kept: 48 and 55 left the young person's editor with an empty paragraph
 * Yjs did not have, and their words were then shown as nobody's (own-words-extension's pairing).
 * 32 and 34: the young person's undo put a worker's letters back into a paragraph that had been
 * deleted and restored, and the server made them his (provenance.ts, restored blocks).
 */
const FOUND_SEEDS = [48, 55, 32, 34];
const SEEDS = process.env.OWN_WORDS_SEED
	? process.env.OWN_WORDS_SEED.split(',').map(Number)
	: [...Array.from({ length: 20 }, (_, i) => i + 1), ...FOUND_SEEDS];
const STEPS = Number(process.env.OWN_WORDS_STEPS ?? 200);

// jsdom lays nothing out; ProseMirror only needs these to exist when it scrolls the selection.
const noRects = () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] });
const zeroRect = () => ({ x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0 });
Object.assign(Range.prototype, { getClientRects: noRects, getBoundingClientRect: zeroRect });
Object.assign(Element.prototype, { scrollIntoView: () => {} });
Object.assign(document, { elementFromPoint: () => null });
// jsdom has no ClipboardEvent; ProseMirror's pasteHTML makes one to hand to paste handlers.
class PasteEvent extends Event {
	clipboardData = null;
}
Object.assign(globalThis, { ClipboardEvent: PasteEvent });

/**
 * A ticket for `sub` (support.ts's ticketFor signs with bytes from TextEncoder, which under jsdom
 * come from jsdom's realm, and jose refuses them as a key; the server is given the same bytes).
 */
const SECRET = new Uint8Array(Buffer.from(TEST_SECRET));
function ticketFor(sub: string, doc: string): Promise<string> {
	return signTicket(SECRET, {
		sub,
		doc,
		access: 'edit',
		name: 'Person',
		colour: '#1d70b8',
		sessionExp: Math.floor(Date.now() / 1000) + 3600,
		sessionId: sub
	});
}

process.setMaxListeners(100);
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
// The collab server on its own role, as in production (migration 20261203001200).
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 6 });
let collab: CollabServer;
let base: string;
const refusals: string[] = [];

beforeAll(async () => {
	collab = createCollabServer({
		pool: collabPool,
		ticketSecret: SECRET,
		allowedOrigins: [ORIGIN],
		unloadGraceMs: 60_000,
		compactAfterUpdates: Number(process.env.OWN_WORDS_COMPACT_AFTER ?? 200),
		// Refusals are what a failing run needs to say; the rest is noise.
		log: (event, fields) => {
			if (/refused|could not/.test(event)) refusals.push(`${event} ${JSON.stringify(fields)}`);
		}
	});
	base = `ws://127.0.0.1:${await collab.listen(0)}`;
});

afterAll(async () => {
	await collab.close();
	await admin.end();
	await collabPool.end();
});

function connect(name: Writer['name'], documentId: string, ticket: string): Writer {
	const doc = new Y.Doc();
	const writer = {
		name,
		letters: name === 'Sam' ? SAM_LETTERS : PRIYA_LETTERS,
		doc,
		ownership: new Ownership(),
		sent: 0,
		saved: 0,
		closes: [],
		blocked: 0
	} as unknown as Writer;
	class CountingSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { origin: ORIGIN });
			writer.sent = 0;
			writer.saved = 0;
		}
		override send(data: unknown, ...rest: unknown[]): void {
			if (data instanceof Uint8Array && isUpdateBearing(data)) writer.sent++;
			(super.send as (...args: unknown[]) => void)(data, ...rest);
		}
	}
	const provider = new WebsocketProvider(base, documentId, doc, {
		protocols: [COLLAB_PROTOCOL, ticket],
		WebSocketPolyfill: CountingSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: 500
	});
	writer.provider = provider;
	const redraw = () => {
		if (writer.editor && !writer.editor.isDestroyed) refreshOwnWords(writer.editor.view);
	};
	provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder: decoding.Decoder) => {
		writer.saved = decoding.readVarUint(decoder);
	};
	// As the page's session does (session.svelte.ts).
	provider.messageHandlers[MESSAGE_OWN_WORDS] = (_encoder, decoder: decoding.Decoder) => {
		const clients = readOwnWords(decoder);
		writer.ownership.clients.clear();
		for (const client of clients) writer.ownership.clients.add(client);
		redraw();
	};
	provider.messageHandlers[MESSAGE_OWN_RUNS] = (_encoder, decoder: decoding.Decoder) => {
		const { replace, runs } = readOwnRuns(decoder);
		if (replace) writer.ownership = new Ownership(writer.ownership.clients, runs);
		else for (const run of runs) writer.ownership.addRun(run);
		redraw();
	};
	provider.on('connection-close', (event) => {
		if (event) writer.closes.push({ code: event.code, reason: event.reason });
	});
	const fragment = doc.getXmlFragment(CONTENT_FIELD);
	const protect = name !== 'Sam';
	writer.editor = new Editor({
		element: document.createElement('div'),
		extensions: [
			StarterKit.configure({ undoRedo: false }),
			Collaboration.configure({
				document: doc,
				field: CONTENT_FIELD,
				yUndoOptions: {
					undoManager: createUndoManager(fragment, () => writer.ownership, protect)
				}
			}),
			OwnWords.configure({
				fragment,
				ownWords: () => writer.ownership,
				protect,
				label: protect ? 'Sam’s own words:' : 'Your own words:',
				onBlocked: () => {
					writer.blocked++;
				}
			})
		]
	});
	writer.editor.on('transaction', ({ transaction }) => {
		if (transaction.docChanged) {
			lastSteps = `${name}: ${JSON.stringify(transaction.steps.map((step) => step.toJSON()))}`;
		}
	});
	return writer;
}
let lastSteps = '';

/** Each character the editor shows, and whether it is shown as Sam's own words. */
function shown(writer: Writer): Array<[string, boolean]> {
	const out: Array<[string, boolean]> = [];
	const walker = document.createTreeWalker(writer.editor.view.dom, 4 /* NodeFilter.SHOW_TEXT */);
	for (let node = walker.nextNode(); node; node = walker.nextNode()) {
		const parent = node.parentElement;
		if (!parent || parent.closest('.visually-hidden')) continue;
		const own = parent.closest('.own-words') !== null;
		for (const ch of node.textContent ?? '') out.push([ch, own]);
	}
	return out;
}

/** Each character the database's document holds, and whether its provenance says Sam's. */
/**
 * The document as the database holds it, read incrementally (rows after the last one read), so
 * checking after every step stays linear; read afresh when compaction has folded rows not yet
 * read into the snapshot.
 */
interface StoredDoc {
	doc: Y.Doc;
	/** The highest seq applied to `doc`. */
	lastSeq: number;
}

async function storedDoc(documentId: string, cache: StoredDoc | null): Promise<StoredDoc> {
	const snapshot = await admin.query<{ through: string }>(
		'select through_seq::text as through from public.document_snapshots where document_id = $1',
		[documentId]
	);
	const through = Number(snapshot.rows[0]?.through ?? 0);
	if (!cache || through > cache.lastSeq) {
		cache?.doc.destroy();
		// One statement (support.ts): the snapshot and the rows after it from one moment.
		const doc = await loadFromDb(admin, documentId);
		const last = await admin.query<{ seq: string | null }>(
			'select max(seq)::text as seq from public.document_updates where document_id = $1',
			[documentId]
		);
		return { doc, lastSeq: Math.max(through, Number(last.rows[0]?.seq ?? 0)) };
	}
	// seq is commit order (migration 20261204000200): every row above the last one read is new.
	const { rows } = await admin.query<{ seq: string; update: Buffer }>(
		'select seq::text, update from public.document_updates where document_id = $1 and seq > $2 order by seq',
		[documentId, cache.lastSeq]
	);
	for (const row of rows) Y.applyUpdate(cache.doc, row.update);
	return { doc: cache.doc, lastSeq: Number(rows.at(-1)?.seq ?? cache.lastSeq) };
}

async function stored(
	documentId: string,
	youngPersonId: string,
	doc: Y.Doc
): Promise<Array<[string, boolean]>> {
	const clients = await admin.query<{ client_id: string }>(
		`select client_id::text from public.document_writers
		 where document_id = $1 and writer_id = $2 and not from_template`,
		[documentId, youngPersonId]
	);
	const runs = await admin.query<{
		client_id: string;
		clock: string;
		length: number;
		writer_id: string | null;
	}>(
		`select client_id::text, clock::text, length, writer_id from public.document_provenance
		 where document_id = $1`,
		[documentId]
	);
	const own = new Ownership(
		clients.rows.map((r) => Number(r.client_id)),
		runs.rows.map((r) => ({
			client: Number(r.client_id),
			clock: Number(r.clock),
			len: r.length,
			own: r.writer_id === youngPersonId
		}))
	);
	const out: Array<[string, boolean]> = [];
	const walk = (type: { _start: Y.Item | null }) => {
		for (let item = type._start; item !== null; item = item.right) {
			if (item.deleted) continue;
			if (item.content instanceof Y.ContentType) walk(item.content.type);
			else if (item.content instanceof Y.ContentString) {
				const spans = own.spans(item.id.client, item.id.clock, item.length);
				[...item.content.str].forEach((ch, i) => {
					out.push([ch, spans.some(([from, to]) => from <= i && i < to)]);
				});
			}
		}
	};
	walk(doc.getXmlFragment(CONTENT_FIELD));
	return out;
}

/** Characters shown or stored with the wrong writer, as "c@index:shown-as". */
function wrong(chars: Array<[string, boolean]>): string[] {
	return chars
		.map(([ch, own], i) => (own === isSams(ch) ? null : `${ch}@${i}:${own ? 'Sam' : 'not Sam'}`))
		.filter((x): x is string => x !== null);
}

async function settled(writers: Writer[]): Promise<void> {
	await vi.waitFor(
		() => {
			for (const w of writers) {
				if (w.closes.length > 0) {
					throw new Error(`${w.name}'s connection closed: ${JSON.stringify(w.closes)}`);
				}
				expect(w.provider.synced).toBe(true);
				expect(w.saved).toBe(w.sent);
			}
			const [a, b] = writers as [Writer, Writer];
			expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
		},
		{ timeout: 15_000, interval: 2 }
	);
}

describe('own words follow the words, with real editors (property)', () => {
	it.each(SEEDS)(
		'seed %i: every step, Sam’s words are exactly the a–m ones, in both editors and the database',
		async (seed) => {
			// Blank: the editors here have no template prompts, only the words the two write.
			const cast = await createCast(admin, { blank: true });
			const random = prng(seed);
			const sam = connect(
				'Sam',
				cast.documentId,
				await ticketFor(cast.youngPerson, cast.documentId)
			);
			const priya = connect(
				'Priya',
				cast.documentId,
				await ticketFor(cast.editor, cast.documentId)
			);
			const writers = [sam, priya];
			const history: string[] = [];
			let before = '';
			let database: StoredDoc | null = null;
			refusals.length = 0;
			try {
				await settled(writers);
				for (let step = 1; step <= STEPS; step++) {
					before = sam.doc
						.getXmlFragment(CONTENT_FIELD)
						.toArray()
						.map((b) => `${b.toString()}[${(b as Y.XmlElement).length}]`)
						.join('');
					const writer = random() < 0.5 ? sam : priya;
					const [, run] = chooseStep(random);
					history.push(`${step}. ${writer.name}: ${run(writer, random)}`);
					await settled(writers);
					for (const w of writers) {
						expect(wrong(shown(w)), `${w.name}'s editor`).toEqual([]);
					}
					database = await storedDoc(cast.documentId, database);
					const inDb = await stored(cast.documentId, cast.youngPerson, database.doc);
					const yText = (d: Y.Doc) =>
						d
							.getXmlFragment(CONTENT_FIELD)
							.toArray()
							.map((b) => b.toString())
							.join('');

					expect(wrong(inDb), 'the database').toEqual([]);
					// The same text as the editors hold, in the same order: "saved" means the same
					// words after a reload. (Read by seq, the log's commit order, migration
					// 20261204000200; read by id, a replay could differ from the editors.)
					const editorText = shown(sam)
						.map(([ch]) => ch)
						.join('');
					const dbText = inDb.map(([ch]) => ch).join('');
					const copy = new Y.Doc();
					Y.applyUpdate(copy, Y.encodeStateAsUpdate(sam.doc));
					const yTexts = `the editors’ Yjs: ${yText(sam.doc)} / ${yText(priya.doc)}; Sam's encoded and decoded: ${yText(copy)}`;
					copy.destroy();
					expect(dbText, `the database’s text (${yTexts})`).toBe(editorText);
				}
				// A reload: the whole log (snapshot, then rows by seq) read afresh, as the server
				// reads it when it loads the document, gives the same words with the same writers.
				const reloaded = await loadFromDb(admin, cast.documentId);
				try {
					const again = await stored(cast.documentId, cast.youngPerson, reloaded);
					expect(wrong(again), 'the reloaded document').toEqual([]);
					expect(again.map(([ch]) => ch).join(''), 'the reloaded text').toBe(
						shown(sam)
							.map(([ch]) => ch)
							.join('')
					);
				} finally {
					reloaded.destroy();
				}
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				throw new Error(
					`own-words property failed for seed ${seed} (re-run with OWN_WORDS_SEED=${seed}):\n` +
						`${history.slice(-12).join('\n')}\n${message}\n` +
						`server: ${refusals.join('\n')}\nbefore the last step: ${before}\n` +
						`last steps: ${lastSteps}`,
					{ cause: error }
				);
			} finally {
				for (const w of writers) {
					w.editor.destroy();
					w.provider.destroy();
				}
				database?.doc.destroy();
			}
			// The run did something: both wrote, and Priya's editor turned some edits into suggestions.
			expect(sam.doc.getXmlFragment(CONTENT_FIELD).length).toBeGreaterThan(0);
		},
		600_000
	);
});
