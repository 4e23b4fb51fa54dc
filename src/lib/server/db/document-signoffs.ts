import type { Tx } from './index';

/** Someone tried to sign a version they have already signed: each answer is kept as given. */
export class AlreadySignedError extends Error {
	constructor(versionId: string) {
		super(`This person has already signed off version ${versionId}`);
		this.name = 'AlreadySignedError';
	}
}

/** Every sign-off of these versions, oldest first, with the signer's name. */
export async function signoffsFor(tx: Tx, versionIds: readonly string[]) {
	if (versionIds.length === 0) return [];
	return tx
		.selectFrom('document_signoffs as s')
		.innerJoin('profiles as p', 'p.id', 's.signer_id')
		.select([
			's.id',
			's.version_id',
			's.signer_id',
			's.agrees',
			's.reason',
			's.signed_at',
			'p.preferred_name as signer_name'
		])
		.where('s.version_id', 'in', versionIds)
		.orderBy('s.signed_at')
		.orderBy('s.id')
		.execute();
}

/**
 * Records "I agree" (reason null) or "I don't agree, because …" (reason required) in the
 * signer's own name. RLS decides who may sign; a second answer from the same person is refused
 * with AlreadySignedError, because the first one is kept forever.
 */
export async function signOff(
	tx: Tx,
	signoff: { versionId: string; signerId: string; agrees: boolean; reason: string | null }
): Promise<void> {
	const row = await tx
		.insertInto('document_signoffs')
		.values({
			version_id: signoff.versionId,
			signer_id: signoff.signerId,
			agrees: signoff.agrees,
			reason: signoff.agrees ? null : signoff.reason
		})
		.onConflict((oc) => oc.columns(['version_id', 'signer_id']).doNothing())
		.returning('id')
		.executeTakeFirst();
	if (!row) throw new AlreadySignedError(signoff.versionId);
}
