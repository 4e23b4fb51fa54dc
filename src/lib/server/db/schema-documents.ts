import type { ColumnType, Generated } from 'kysely';
import type { AccessLevel } from './schema';

/** Documents and their co-writing log (migration 20261123000200). */
export type DocumentKind = 'care_plan' | 'pathway_plan' | 'my_story';

export interface DocumentsTable {
	id: Generated<string>;
	young_person_id: string;
	kind: DocumentKind;
	title: string;
	created_by: string | null;
	created_at: Generated<Date>;
	updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DocumentUpdatesTable {
	id: Generated<string>;
	document_id: string;
	author_id: string | null;
	update: Uint8Array;
	/**
	 * Its place in its document's log, numbered by a trigger in commit order (migration
	 * 20261204000200); read the log by this, never by id.
	 */
	seq: Generated<string>;
	created_at: Generated<Date>;
}

export interface DocumentSnapshotsTable {
	document_id: string;
	state: Uint8Array;
	/** The snapshot holds every update of the document with seq <= this. */
	through_seq: string;
	updated_at: Generated<Date>;
}

export type ReadPurpose = 'view' | 'edit' | 'print' | 'export';

export interface DocumentReadsTable {
	id: Generated<string>;
	document_id: string;
	young_person_id: string;
	reader_id: string;
	purpose: ReadPurpose;
	read_at: Generated<Date>;
}

/** Named versions of a document and sign-off on them (migration 20261123000600). */
export interface DocumentVersionsTable {
	id: Generated<string>;
	document_id: string;
	name: string;
	/** Y.encodeStateAsUpdate of the saved document, built on the server from its stored rows. */
	state: Uint8Array;
	is_review: Generated<boolean>;
	created_by: string | null;
	created_at: Generated<Date>;
}

export interface DocumentSignoffsTable {
	id: Generated<string>;
	version_id: string;
	signer_id: string;
	agrees: boolean;
	/** Why they do not agree; null exactly when they agree. */
	reason: string | null;
	signed_at: Generated<Date>;
}

/** A "my story" shared by the young person with one person in their circle (migration 000500). */
export type ShareAccess = 'view' | 'comment';

export interface DocumentSharesTable {
	id: Generated<string>;
	document_id: string;
	person_id: string;
	access: ShareAccess;
	shared_by: string | null;
	created_at: Generated<Date>;
}

/** Who each Yjs client id belongs to (migration 000700): the source of "in my own words". */
export interface DocumentWritersTable {
	document_id: string;
	/** An unsigned 32-bit Yjs client id (bigint: pg returns it as a string). */
	client_id: ColumnType<string, number, never>;
	writer_id: string | null;
	from_template: Generated<boolean>;
	created_at: Generated<Date>;
}

/** Runs of words someone else's editor moved, with who wrote them (migration 20261205000100). */
export interface DocumentProvenanceTable {
	document_id: string;
	/** Yjs client id and clock (bigint: pg returns them as strings). */
	client_id: ColumnType<string, number, never>;
	clock: ColumnType<string, number, never>;
	length: number;
	/** null: nobody's own words (the template, or a deleted account). */
	writer_id: string | null;
	created_at: Generated<Date>;
}

export type SuggestionStatus = 'pending' | 'accepted' | 'declined';

/** A suggested change to the young person's words, which they accept or decline (000700). */
export interface DocumentSuggestionsTable {
	id: Generated<string>;
	document_id: string;
	author_id: string | null;
	/** Encoded Yjs relative positions: where the words start and end. */
	anchor_start: Uint8Array;
	anchor_end: Uint8Array;
	original_text: string;
	suggested_text: string;
	status: Generated<SuggestionStatus>;
	decided_by: string | null;
	decided_at: Date | null;
	created_at: Generated<Date>;
}

/** Comments: threads anchored to words, replies, resolving (migration 000800). */
export interface DocumentCommentsTable {
	id: Generated<string>;
	document_id: string;
	/** null: starts a thread; otherwise the thread this replies to. */
	thread_id: string | null;
	author_id: string | null;
	body: string;
	anchor_start: Uint8Array | null;
	anchor_end: Uint8Array | null;
	/** The words the thread is about, as the server read them. */
	quote: string | null;
	resolved_at: Date | null;
	resolved_by: string | null;
	created_at: Generated<Date>;
}

export interface DocumentCommentMentionsTable {
	comment_id: string;
	person_id: string;
	seen_at: Date | null;
	created_at: Generated<Date>;
}

export interface DocumentTables {
	document_comments: DocumentCommentsTable;
	document_comment_mentions: DocumentCommentMentionsTable;
	document_writers: DocumentWritersTable;
	document_provenance: DocumentProvenanceTable;
	document_suggestions: DocumentSuggestionsTable;
	document_versions: DocumentVersionsTable;
	document_signoffs: DocumentSignoffsTable;
	documents: DocumentsTable;
	document_updates: DocumentUpdatesTable;
	document_snapshots: DocumentSnapshotsTable;
	document_reads: DocumentReadsTable;
	document_shares: DocumentSharesTable;
}

export type { AccessLevel };
