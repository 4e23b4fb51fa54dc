import { sql } from 'kysely';
import type { Tx } from './index';
import type { DocumentKind } from './schema-documents';
import {
	civilDate,
	describeNextReview,
	nextReview,
	REVIEW_RHYTHM
} from '$lib/server/documents/reviews';

/**
 * The versions of a document, oldest first, with whether the caller may sign each one off (the
 * young person and practitioners in their circle; the database decides, private.may_sign_off).
 */
export async function listVersions(tx: Tx, documentId: string) {
	return tx
		.selectFrom('document_versions as v')
		.leftJoin('profiles as p', 'p.id', 'v.created_by')
		.select([
			'v.id',
			'v.name',
			'v.is_review',
			'v.created_at',
			'p.preferred_name as created_by_name',
			sql<boolean>`private.may_sign_off(v.id)`.as('may_sign')
		])
		.where('v.document_id', '=', documentId)
		.orderBy('v.created_at')
		.orderBy('v.id')
		.execute();
}

/** One version of one document, with its saved state, or undefined (RLS hides what you may not see). */
export async function getVersion(tx: Tx, documentId: string, versionId: string) {
	return tx
		.selectFrom('document_versions as v')
		.leftJoin('profiles as p', 'p.id', 'v.created_by')
		.select([
			'v.id',
			'v.name',
			'v.is_review',
			'v.created_at',
			'v.state',
			'p.preferred_name as created_by_name',
			sql<boolean>`private.may_sign_off(v.id)`.as('may_sign')
		])
		.where('v.document_id', '=', documentId)
		.where('v.id', '=', versionId)
		.executeTakeFirst();
}

/**
 * "Next review by …" for a plan, in plain words, or null for a young person's story (which has
 * no statutory reviews). The rhythm starts when the plan was created; reviews are the versions
 * saved as the agreed version of a review.
 */
export async function nextReviewText(
	tx: Tx,
	doc: { id: string; kind: DocumentKind },
	now = new Date()
): Promise<string | null> {
	if (doc.kind === 'my_story') return null;
	const { first_due } = await tx
		.selectFrom('documents')
		.select(
			sql<string>`to_char(private.statutory_working_days_after(created_at, ${REVIEW_RHYTHM.firstWorkingDays}), 'YYYY-MM-DD')`.as(
				'first_due'
			)
		)
		.where('id', '=', doc.id)
		.executeTakeFirstOrThrow();
	const reviews = await tx
		.selectFrom('document_versions')
		.select('created_at')
		.where('document_id', '=', doc.id)
		.where('is_review', '=', true)
		.execute();
	return describeNextReview(
		nextReview(
			civilDate(first_due),
			reviews.map((r) => r.created_at),
			now
		)
	);
}

/**
 * Is the newest review version of a document waiting for this person to say whether they agree?
 * (They may sign it, private.may_sign_off, and have not.)
 */
export async function reviewAwaitsMe(tx: Tx, documentId: string, personId: string) {
	const latest = await tx
		.selectFrom('document_versions as v')
		.select(['v.id', sql<boolean>`private.may_sign_off(v.id)`.as('may_sign')])
		.where('v.document_id', '=', documentId)
		.where('v.is_review', '=', true)
		.orderBy('v.created_at', 'desc')
		.orderBy('v.id', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (!latest?.may_sign) return false;
	const signed = await tx
		.selectFrom('document_signoffs')
		.select('id')
		.where('version_id', '=', latest.id)
		.where('signer_id', '=', personId)
		.executeTakeFirst();
	return !signed;
}
