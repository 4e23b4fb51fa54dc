import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { COLLAB_ROLE, APP_ROLE } from '../../scripts/local-stack/database.ts';
import { claimsFor, createStore, type Store } from '../../src/lib/server/collab/store.ts';
import { CONTENT_FIELD } from '../../src/lib/collab/protocol.ts';
import type { Fence } from '../../src/lib/server/collab/lease.ts';
import { createCast, loadFromDb, takeLease, type Cast } from '../collab/support.ts';
import { roleFacts } from '../support/sql-tests.ts';

/**
 * Only the collab service writes a document's content (migration 20261203001200). As `anon` or
 * `authenticated` with a real person's claims, exactly what Supabase's Data API hands anyone
 * signed in, raw SQL tries every way in: insert, update, delete and truncate on every content
 * table, and a call of every function those roles may execute, listed from the catalogue so a
 * function added later is tried too. Nothing a document holds may change. The collab service's
 * own role still does its work, and still refuses to write for someone without edit access.
 */

const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
const app = new pg.Pool({ connectionString: inject('appDatabaseUrl'), max: 2 });
const collabPool = new pg.Pool({ connectionString: inject('collabDatabaseUrl'), max: 4 });

/** One lease per document for this file's writers: one node, as the collab server would be. */
const fences = new Map<string, Promise<Fence>>();
function fenceFor(documentId: string): Promise<Fence> {
	let fence = fences.get(documentId);
	if (!fence) {
		fence = takeLease(collabPool, documentId);
		fences.set(documentId, fence);
	}
	return fence;
}
const log = () => {};

/** Where a document's content lives: each table, and the columns that are content. */
const CONTENT: Record<string, string> = {
	document_updates: 'x.*',
	document_snapshots: 'x.*',
	document_writers: 'x.*',
	// Who wrote the words an edit moved (migration 20261205000100).
	document_provenance: 'x.*',
	document_versions: 'x.*',
	// The young person's decision (status, decided_by, decided_at) is theirs to make; the words
	// and who suggested them are content.
	document_suggestions:
		'x.id, x.document_id, x.author_id, x.anchor_start, x.anchor_end, x.original_text, x.suggested_text, x.created_at'
};

let cast: Cast;
let store: Store;
let versionId: string;
let suggestionId: string;
/** The Yjs diff of the issue: deletes the young person's paragraph and writes other words. */
let forged: Uint8Array;

function paragraph(text: string): Y.XmlElement {
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	return p;
}

/** Everything every document holds, as one comparable value (read as the superuser). */
async function contentFingerprint(): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const [table, columns] of Object.entries(CONTENT)) {
		const { rows } = await admin.query<{ n: string; digest: string | null }>(
			`select count(*)::text as n,
			   md5(string_agg(row(${columns})::text, ',' order by row(${columns})::text)) as digest
			 from public.${table} x`
		);
		out[table] = `${rows[0]!.n} ${rows[0]!.digest ?? ''}`;
	}
	const docs = await admin.query<{ ids: string | null }>(
		"select string_agg(id::text, ',' order by id) as ids from public.documents"
	);
	out.documents = docs.rows[0]!.ids ?? '';
	return out;
}

async function storedParagraphs(documentId: string): Promise<string[]> {
	const doc = await loadFromDb(admin, documentId);
	const texts = doc
		.getXmlFragment(CONTENT_FIELD)
		.toArray()
		.map((node) =>
			node instanceof Y.XmlElement
				? node
						.toArray()
						.map((c) => (c instanceof Y.XmlText ? c.toString() : ''))
						.join('')
				: ''
		);
	doc.destroy();
	return texts;
}

interface Actor {
	label: string;
	/** service_role: Supabase's service key, which bypasses RLS (the app holds it for Auth). */
	role: 'anon' | 'authenticated' | 'service_role';
	sub: string | null;
}

/** A value of a Postgres type for an attack, or null if the test does not know the type. */
function valueFor(type: string, column: string, actor: Actor, uuid: string): unknown {
	const base = type.replace(/\[\]$/, '');
	const isArray = type.endsWith('[]');
	let value: unknown;
	switch (base) {
		case 'uuid':
			value = column === 'document_id' || column === 'doc' ? cast.documentId : uuid;
			break;
		case 'bytea':
			value = Buffer.from(forged);
			break;
		case 'text':
		case 'character varying':
		case 'citext':
			value = 'Sam said these forged words';
			break;
		case 'bigint':
		case 'integer':
		case 'smallint':
		case 'numeric':
			value = 1;
			break;
		case 'boolean':
			value = true;
			break;
		case 'json':
		case 'jsonb':
			value = JSON.stringify({ sub: actor.sub, role: actor.role });
			break;
		case 'timestamp with time zone':
		case 'date':
			value = new Date();
			break;
		default:
			return null;
	}
	return isArray ? [value] : value;
}

/** Enum labels by type name, so enum arguments get a real value. */
let enums = new Map<string, string>();

function valueOrEnum(type: string, column: string, actor: Actor, uuid: string): unknown {
	const known = valueFor(type, column, actor, uuid);
	if (known !== null) return known;
	const label = enums.get(type.replace(/\[\]$/, ''));
	if (label === undefined) return null;
	return type.endsWith('[]') ? [label] : label;
}

/**
 * Opens a transaction on the app's login role acting as `actor`, runs each statement in its own
 * savepoint (a refusal rolls back only that one), and COMMITS whatever succeeded: a write that got
 * through must show in the fingerprint, not vanish in a rollback.
 */
async function attack(
	actor: Actor,
	statements: Array<{ sql: string; params: unknown[] }>
): Promise<{ succeeded: string[]; failed: number }> {
	// The app's login role may become anon or authenticated, as the Data API does; only the
	// superuser session can take on service_role, as Supabase's API gateway does for its key.
	const client = await (actor.role === 'service_role' ? admin : app).connect();
	const succeeded: string[] = [];
	let failed = 0;
	try {
		await client.query('begin');
		await client.query(
			`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
			[actor.role, JSON.stringify(actor.sub ? claimsFor(actor.sub) : { role: actor.role })]
		);
		for (const statement of statements) {
			await client.query('savepoint attempt');
			try {
				await client.query(statement.sql, statement.params);
				await client.query('release savepoint attempt');
				succeeded.push(statement.sql);
			} catch {
				await client.query('rollback to savepoint attempt');
				failed++;
			}
		}
		await client.query('commit');
	} catch (error) {
		await client.query('rollback').catch(() => {});
		throw error;
	} finally {
		client.release();
	}
	return { succeeded, failed };
}

interface Column {
	name: string;
	type: string;
	generated: boolean;
}

async function columnsOf(table: string): Promise<Column[]> {
	const { rows } = await admin.query<{ name: string; type: string; generated: boolean }>(
		`select a.attname as name, pg_catalog.format_type(a.atttypid, a.atttypmod) as type,
		   (a.attidentity = 'a' or a.attgenerated <> '') as generated
		 from pg_catalog.pg_attribute a
		 where a.attrelid = ('public.' || $1)::regclass and a.attnum > 0 and not a.attisdropped
		 order by a.attnum`,
		[table]
	);
	return rows;
}

/** Insert, update (each column), delete and truncate on every content table. */
async function tableAttacks(actor: Actor): Promise<Array<{ sql: string; params: unknown[] }>> {
	const me = actor.sub ?? cast.youngPerson;
	const out: Array<{ sql: string; params: unknown[] }> = [
		// The issue's two rows, exactly: a forged diff in Priya's name, and junk.
		{
			sql: 'insert into public.document_updates (document_id, author_id, update) values ($1, $2, $3)',
			params: [cast.documentId, me, Buffer.from(forged)]
		},
		{
			sql: 'insert into public.document_updates (document_id, author_id, update) values ($1, $2, $3)',
			params: [cast.documentId, me, Buffer.from('deadbeef', 'hex')]
		}
	];
	for (const table of Object.keys(CONTENT)) {
		const columns = (await columnsOf(table)).filter((c) => !c.generated);
		const values = columns.map((c) => valueOrEnum(c.type, c.name, actor, me));
		const unknown = columns.filter((_, i) => values[i] === null).map((c) => `${table}.${c.type}`);
		expect(unknown, 'add a value for these column types').toEqual([]);
		out.push({
			sql: `insert into public.${table} (${columns.map((c) => c.name).join(', ')})
			      values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
			params: values
		});
		for (const [i, column] of columns.entries()) {
			// The young person's decision on a suggestion is theirs to make, not content.
			if (table === 'document_suggestions' && column.name.startsWith('decided')) continue;
			if (table === 'document_suggestions' && column.name === 'status') continue;
			out.push({ sql: `update public.${table} set ${column.name} = $1`, params: [values[i]] });
		}
		out.push({ sql: `delete from public.${table}`, params: [] });
		out.push({ sql: `truncate public.${table} cascade`, params: [] });
	}
	// Removing the document would take its content with it.
	out.push({ sql: 'delete from public.documents where id = $1', params: [cast.documentId] });
	return out;
}

interface Callable {
	signature: string;
	name: string;
	kind: string;
	argNames: string[];
	argTypes: string[];
}

/** Every function or procedure `role` may execute, outside the built-in schemas. */
async function callableBy(role: string): Promise<Callable[]> {
	const { rows } = await admin.query<{
		signature: string;
		name: string;
		kind: string;
		arg_names: string[] | null;
		arg_types: string[];
	}>(
		`select p.oid::regprocedure::text as signature,
		   quote_ident(n.nspname) || '.' || quote_ident(p.proname) as name,
		   p.prokind as kind, p.proargnames as arg_names,
		   array(select pg_catalog.format_type(t, null)
		         from unnest(p.proargtypes::oid[]) with ordinality as a(t, i) order by i) as arg_types
		 from pg_catalog.pg_proc p
		 join pg_catalog.pg_namespace n on n.oid = p.pronamespace
		 where n.nspname not in ('pg_catalog', 'information_schema')
		   and n.nspname not like 'pg\\_%'
		   and p.prokind in ('f', 'p')
		   and p.prorettype not in ('pg_catalog.trigger'::regtype, 'pg_catalog.event_trigger'::regtype)
		   and pg_catalog.has_function_privilege($1, p.oid, 'execute')
		   and pg_catalog.has_schema_privilege($1, n.oid, 'usage')
		 order by 1`,
		[role]
	);
	return rows.map((r) => ({
		signature: r.signature,
		name: r.name,
		kind: r.kind,
		argNames: r.arg_names ?? [],
		argTypes: r.arg_types
	}));
}

/** Calls of every function the actor's role may execute, with each id we know in turn. */
async function functionAttacks(actor: Actor): Promise<Array<{ sql: string; params: unknown[] }>> {
	const functions = await callableBy(actor.role);
	expect(functions.length).toBeGreaterThan(0);
	const ids = [
		cast.documentId,
		versionId,
		suggestionId,
		cast.youngPerson,
		actor.sub ?? cast.editor
	];
	const out: Array<{ sql: string; params: unknown[] }> = [];
	const unknown: string[] = [];
	for (const fn of functions) {
		for (const id of ids) {
			const params = fn.argTypes.map((type, i) =>
				valueOrEnum(type, fn.argNames[i] ?? '', actor, id)
			);
			if (params.some((p) => p === null)) {
				unknown.push(fn.signature);
				break;
			}
			// Arguments reach a uuid parameter as this id, a `doc` parameter as the document.
			const args = fn.argTypes.map((type, i) => `$${i + 1}::${type}`).join(', ');
			out.push({
				sql: fn.kind === 'p' ? `call ${fn.name}(${args})` : `select ${fn.name}(${args})`,
				params
			});
		}
	}
	expect(unknown, 'add values for the argument types of these functions').toEqual([]);
	return out;
}

beforeAll(async () => {
	const { rows } = await admin.query<{ type: string; label: string }>(
		`select pg_catalog.format_type(e.enumtypid, null) as type, min(e.enumlabel) as label
		 from pg_catalog.pg_enum e group by e.enumtypid`
	);
	enums = new Map(rows.map((r) => [r.type, r.label]));
	cast = await createCast(admin);
	store = createStore(collabPool, log);
	// The document as the collab service makes it: its template, the young person's words (and
	// a snapshot of them), a social worker's paragraph, a version and a suggestion.
	(await store.load(cast.documentId, await fenceFor(cast.documentId))).doc.destroy();
	const writer = async (sub: string, text: string, movedFrom?: string) => {
		const loaded = await store.load(cast.documentId, await fenceFor(cast.documentId));
		const before = Y.encodeStateVector(loaded.doc);
		loaded.doc.getXmlFragment(CONTENT_FIELD).push([paragraph(text)]);
		// A provenance run, as the service records one when an edit moves someone else's words
		// (made up here: only that it is stored, and by whom it can be changed, matters).
		const moved = movedFrom
			? [{ client: loaded.doc.clientID, clock: 0, len: 5, writer: movedFrom }]
			: [];
		await store.append(
			cast.documentId,
			sub,
			Y.encodeStateAsUpdate(loaded.doc, before),
			[loaded.doc.clientID],
			moved,
			await fenceFor(cast.documentId)
		);
		loaded.doc.destroy();
	};
	await writer(cast.youngPerson, 'I want to live with my nan');
	expect(await store.compact(cast.documentId, await fenceFor(cast.documentId))).toBe(2);
	await writer(cast.editor, 'Priya will ask about weekends.', cast.youngPerson);
	const recorded = await admin.query(
		'select writer_id from public.document_provenance where document_id = $1',
		[cast.documentId]
	);
	expect(recorded.rows).toEqual([{ writer_id: cast.youngPerson }]);
	versionId = await store.saveVersion(claimsFor(cast.editor), cast.documentId, {
		name: 'Agreed at my review',
		isReview: true
	});
	const doc = await loadFromDb(admin, cast.documentId);
	const fragment = doc.getXmlFragment(CONTENT_FIELD);
	const index = fragment.length - 2;
	const words = (fragment.get(index) as Y.XmlElement).get(0) as Y.XmlText;
	const made = await store.suggest(claimsFor(cast.commenter), cast.documentId, {
		anchorStart: Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(words, 0)),
		anchorEnd: Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(words, 6)),
		suggested: 'I wish'
	});
	if (!('id' in made)) throw new Error(`suggestion refused: ${made.refused}`);
	suggestionId = made.id;
	// The issue's forgery: a diff from another client deleting Sam's paragraph, writing others.
	const forger = new Y.Doc();
	Y.applyUpdate(forger, Y.encodeStateAsUpdate(doc));
	const target = forger.getXmlFragment(CONTENT_FIELD);
	target.delete(index, 1);
	target.insert(index, [paragraph('I want to live with my dad')]);
	forged = Y.encodeStateAsUpdate(forger, Y.encodeStateVector(doc));
	forger.destroy();
	doc.destroy();
});

afterAll(async () => {
	await collabPool.end();
	await app.end();
	await admin.end();
});

describe('only the collab service writes content', () => {
	it('the document holds what the collab service wrote', async () => {
		const paragraphs = await storedParagraphs(cast.documentId);
		expect(paragraphs.slice(-2)).toEqual([
			'I want to live with my nan',
			'Priya will ask about weekends.'
		]);
		const { rows } = await admin.query<{ original_text: string }>(
			'select original_text from public.document_suggestions where id = $1',
			[suggestionId]
		);
		// Read by the service at the anchors, not sent by anyone.
		expect(rows[0]?.original_text).toBe('I want');
	});

	const actors = (): Actor[] => [
		{ label: 'anon', role: 'anon', sub: null },
		// Claims are whatever the caller sets: anon carrying an editor's.
		{ label: 'anon with the editor’s claims', role: 'anon', sub: cast.editor },
		{ label: 'the editor (Priya)', role: 'authenticated', sub: cast.editor },
		{ label: 'the young person (Sam)', role: 'authenticated', sub: cast.youngPerson },
		{ label: 'a commenter', role: 'authenticated', sub: cast.commenter },
		{ label: 'an outsider', role: 'authenticated', sub: cast.outsider },
		{ label: 'the service key', role: 'service_role', sub: null }
	];

	it('refuses every table write to anon, authenticated (whoever they claim to be) and the service key', async () => {
		for (const actor of actors()) {
			const before = await contentFingerprint();
			const statements = await tableAttacks(actor);
			const { succeeded } = await attack(actor, statements);
			expect({ actor: actor.label, changed: await contentFingerprint() }).toEqual({
				actor: actor.label,
				changed: before
			});
			// Each write was refused outright, not just filtered to no rows.
			expect({ actor: actor.label, succeeded }).toEqual({ actor: actor.label, succeeded: [] });
		}
		expect(await storedParagraphs(cast.documentId)).toContain('I want to live with my nan');
	});

	it('lets anon, authenticated and the service key change no content through any function they may call', async () => {
		for (const actor of actors()) {
			const before = await contentFingerprint();
			const statements = await functionAttacks(actor);
			const { succeeded, failed } = await attack(actor, statements);
			// Most calls are harmless reads that succeed; none may change a document.
			expect(succeeded.length + failed).toBe(statements.length);
			expect({ actor: actor.label, changed: await contentFingerprint() }).toEqual({
				actor: actor.label,
				changed: before
			});
		}
		const paragraphs = await storedParagraphs(cast.documentId);
		expect(paragraphs).toContain('I want to live with my nan');
		expect(paragraphs).not.toContain('I want to live with my dad');
	});

	it('lists the content functions among those it tries, were they ever granted', async () => {
		// The function list comes from the catalogue: granting one to authenticated puts it in the
		// attack above. Here, as a check of the listing itself, the collab role's list has them.
		const names = (await callableBy(COLLAB_ROLE)).map((f) => f.name);
		for (const name of [
			'private.append_update',
			'private.record_provenance',
			'private.collab_provenance',
			'private.initialise_document',
			'private.compact_document',
			'private.save_version',
			'private.add_suggestion'
		]) {
			expect(names).toContain(name);
		}
	});
});

describe('the collab service role', () => {
	it('is neither superuser nor owner, bypasses no RLS, and is nobody’s member', async () => {
		expect(await roleFacts(inject('adminDatabaseUrl'), [COLLAB_ROLE])).toEqual([
			{ role: COLLAB_ROLE, superuser: false, bypassRls: false, inherit: false }
		]);
		const owned = await admin.query(
			`select c.relname from pg_catalog.pg_class c join pg_catalog.pg_roles r on r.oid = c.relowner
			 where r.rolname = $1
			 union all
			 select p.proname from pg_catalog.pg_proc p join pg_catalog.pg_roles r on r.oid = p.proowner
			 where r.rolname = $1`,
			[COLLAB_ROLE]
		);
		expect(owned.rows).toEqual([]);
		const memberships = await admin.query(
			`select g.rolname as role, m.rolname as member from pg_catalog.pg_auth_members a
			 join pg_catalog.pg_roles g on g.oid = a.roleid
			 join pg_catalog.pg_roles m on m.oid = a.member
			 where m.rolname = $1 or g.rolname = $1`,
			[COLLAB_ROLE]
		);
		expect(memberships.rows).toEqual([]);
		// The app's role cannot become it either.
		const client = await app.connect();
		try {
			await expect(client.query(`set role ${COLLAB_ROLE}`)).rejects.toMatchObject({
				code: '42501'
			});
			expect(decodeURIComponent(new URL(inject('appDatabaseUrl')).username)).toBe(APP_ROLE);
		} finally {
			client.release();
		}
	});

	it('writes no table directly, only through its functions', async () => {
		const client = await collabPool.connect();
		try {
			await expect(
				client.query(
					'insert into public.document_updates (document_id, author_id, update) values ($1, $2, $3)',
					[cast.documentId, cast.editor, Buffer.from(forged)]
				)
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				client.query('select count(*) from public.document_updates')
			).rejects.toMatchObject({ code: '42501' });
		} finally {
			client.release();
		}
	});

	it('still refuses to append, save a version or suggest for someone without the access', async () => {
		const before = await contentFingerprint();
		for (const sub of [cast.commenter, cast.viewer, cast.outsider]) {
			const fence = await fenceFor(cast.documentId);
			await expect(store.append(cast.documentId, sub, forged, [], [], fence)).rejects.toMatchObject(
				{
					code: '42501'
				}
			);
		}
		for (const sub of [cast.commenter, cast.viewer, cast.outsider]) {
			await expect(
				store.saveVersion(claimsFor(sub), cast.documentId, { name: 'Mine', isReview: false })
			).rejects.toMatchObject({ code: '42501' });
		}
		// Nor records who wrote moved words for them (provenance goes with an append).
		const client = await collabPool.connect();
		try {
			await client.query('begin');
			for (const sub of [cast.commenter, cast.viewer, cast.outsider]) {
				await client.query('savepoint attempt');
				await client.query("select set_config('request.jwt.claims', $1, true)", [
					JSON.stringify(claimsFor(sub))
				]);
				await expect(
					client.query('select private.record_provenance($1, $2, $3, $4, $5)', [
						cast.documentId,
						[1],
						[0],
						[5],
						[sub]
					])
				).rejects.toMatchObject({ code: '42501' });
				await client.query('rollback to savepoint attempt');
			}
		} finally {
			await client.query('rollback');
			client.release();
		}
		const anchor = Y.encodeRelativePosition(
			Y.createRelativePositionFromTypeIndex(new Y.Doc().getXmlFragment(CONTENT_FIELD), 0)
		);
		// The young person changes their words themselves; a viewer or outsider may not suggest.
		for (const sub of [cast.youngPerson, cast.viewer, cast.outsider]) {
			await expect(
				store.suggest(claimsFor(sub), cast.documentId, {
					anchorStart: anchor,
					anchorEnd: anchor,
					suggested: 'More'
				})
			).rejects.toMatchObject({ code: '42501' });
		}
		expect(await contentFingerprint()).toEqual(before);
	});

	it('compacts with a snapshot built from the stored log, keeping the document as it was', async () => {
		const before = await storedParagraphs(cast.documentId);
		expect(await store.compact(cast.documentId, await fenceFor(cast.documentId))).toBeGreaterThan(
			0
		);
		const { rows } = await admin.query<{ n: string }>(
			'select count(*)::text as n from public.document_updates where document_id = $1',
			[cast.documentId]
		);
		expect(rows[0]?.n).toBe('0');
		expect(await storedParagraphs(cast.documentId)).toEqual(before);
	});
});
