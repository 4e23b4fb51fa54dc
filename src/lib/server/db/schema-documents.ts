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
	created_at: Generated<Date>;
}

export interface DocumentSnapshotsTable {
	document_id: string;
	state: Uint8Array;
	through_update_id: string;
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

export interface DocumentTables {
	documents: DocumentsTable;
	document_updates: DocumentUpdatesTable;
	document_snapshots: DocumentSnapshotsTable;
	document_reads: DocumentReadsTable;
}

export type { AccessLevel };
