import { fail } from '@sveltejs/kit';
import { fromBase64 } from 'lib0/buffer';
import * as v from 'valibot';
import { decodeAnchor } from '$lib/collab/anchors';
import type { VerifiedUser } from '$lib/server/auth/session';
import { appDb, asUser, type Tx } from '$lib/server/db';
import {
	addComment,
	commentsInLastHour,
	commentsOn,
	isThreadOf,
	mentionablePeople,
	setResolved
} from '$lib/server/db/document-comments';
import { documentForMe, savedDoc } from '$lib/server/db/documents';
import { quoteAt } from '$lib/server/documents/anchors';
import { noNul } from '$lib/server/forms';
import { m } from '$lib/paraglide/messages.js';

/**
 * Comments on the document page: start a thread (about chosen words, or the whole document),
 * reply, resolve and reopen, and mention people who can read the document. Works without
 * JavaScript, except choosing words, which needs the live editor. The server reads the quoted
 * words itself; the browser only says where they are.
 */

const Uuid = v.pipe(v.string(), v.uuid());

/** Plenty for a busy review meeting; a flood is refused. */
const COMMENTS_PER_HOUR = 120;

const CommentForm = v.object({
	body: v.pipe(
		v.optional(v.string(), ''),
		noNul(() => m.doc_comment_name()),
		v.trim(),
		v.nonEmpty(() => m.doc_comment_required()),
		v.maxLength(4000, () => m.form_too_long({ label: m.doc_comment_name(), max: 4000 }))
	),
	thread: v.optional(v.union([v.literal(''), Uuid]), ''),
	anchorStart: v.optional(v.string(), ''),
	anchorEnd: v.optional(v.string(), '')
});

const ResolveForm = v.object({
	thread: v.pipe(
		v.optional(v.string(), ''),
		v.uuid(() => m.doc_comment_not_found())
	)
});

export interface CommentView {
	id: string;
	authorName: string;
	mine: boolean;
	body: string;
	createdAt: string;
	mentions: string[];
}

export interface ThreadView extends CommentView {
	quote: string | null;
	anchorStart: string | null;
	anchorEnd: string | null;
	resolvedBy: string | null;
	resolvedAt: string | null;
	replies: CommentView[];
}

/** The document's threads, oldest first, each with its replies, and who may be mentioned. */
export async function commentViews(tx: Tx, documentId: string, me: string) {
	const { comments, mentions } = await commentsOn(tx, documentId);
	const mentioned = (id: string) =>
		mentions.filter((m) => m.comment_id === id).map((m) => m.preferred_name);
	const view = (c: (typeof comments)[number]): CommentView => ({
		id: c.id,
		authorName: c.author_name ?? m.doc_someone(),
		mine: c.author_id === me,
		body: c.body,
		createdAt: c.created_at.toISOString(),
		mentions: mentioned(c.id)
	});
	const threads: ThreadView[] = comments
		.filter((c) => c.thread_id === null)
		.map((c) => ({
			...view(c),
			quote: c.quote,
			anchorStart: c.anchor_start ? Buffer.from(c.anchor_start).toString('base64') : null,
			anchorEnd: c.anchor_end ? Buffer.from(c.anchor_end).toString('base64') : null,
			resolvedBy: c.resolved_at ? (c.resolved_by_name ?? m.doc_someone()) : null,
			resolvedAt: c.resolved_at?.toISOString() ?? null,
			replies: comments.filter((r) => r.thread_id === c.id).map(view)
		}));
	const people = await mentionablePeople(tx, documentId, me);
	return {
		threads,
		mentionable: people.map((p) => ({
			id: p.id,
			name: p.preferred_name,
			relationship: p.relationship
		}))
	};
}

type Failure = { field: 'body' | 'mentions' | 'form'; message: string };

/** Form action body: a new thread (maybe about chosen words) or a reply, with mentions. */
export async function comment(user: VerifiedUser, documentId: string, formData: FormData) {
	const form = v.safeParse(CommentForm, {
		body: formData.get('body') ?? undefined,
		thread: formData.get('thread') ?? undefined,
		anchorStart: formData.get('anchorStart') ?? undefined,
		anchorEnd: formData.get('anchorEnd') ?? undefined
	});
	const threadField = String(formData.get('thread') ?? '');
	const values = { body: String(formData.get('body') ?? ''), thread: threadField };
	if (!form.success) {
		const bodyIssue = form.issues.find((i) => v.getDotPath(i) === 'body');
		return fail(400, {
			commentErrors: bodyIssue
				? { body: bodyIssue.message }
				: { form: m.doc_comment_reply_target_retry() },
			values
		});
	}
	// Each person once, however many times the box was sent.
	const mentions = [...new Set(formData.getAll('mention').map(String))];
	if (mentions.length > 20 || mentions.some((m) => !v.is(Uuid, m))) {
		return fail(400, {
			commentErrors: { mentions: m.doc_comment_mentions_invalid() },
			values
		});
	}
	const { body, thread, anchorStart, anchorEnd } = form.output;
	const outcome = await asUser(
		appDb(),
		user.claims,
		async (tx): Promise<Failure | { id: string }> => {
			const doc = await documentForMe(tx, documentId);
			if (!doc || doc.access === 'none') {
				return { field: 'form', message: m.doc_not_found() };
			}
			if (doc.access === 'view') {
				return { field: 'body', message: m.doc_comment_view_only() };
			}
			if ((await commentsInLastHour(tx, user.id)) >= COMMENTS_PER_HOUR) {
				return {
					field: 'body',
					message: m.doc_comment_too_many({ count: COMMENTS_PER_HOUR })
				};
			}
			const allowed = new Set((await mentionablePeople(tx, documentId, user.id)).map((p) => p.id));
			if (mentions.some((m) => !allowed.has(m))) {
				return {
					field: 'mentions',
					message: m.doc_comment_mention_not_allowed()
				};
			}
			let anchor: { start: Uint8Array; end: Uint8Array; quote: string } | null = null;
			if (!thread && (anchorStart || anchorEnd)) {
				const start = decodeAnchor(anchorStart);
				const end = decodeAnchor(anchorEnd);
				const ydoc = await savedDoc(tx, documentId);
				const quote = start && end ? quoteAt(ydoc, start, end) : null;
				ydoc.destroy();
				if (quote === null) {
					return {
						field: 'body',
						message: m.doc_comment_words_not_found()
					};
				}
				if (quote.length > 4000) {
					return { field: 'body', message: m.doc_quote_too_long({ max: 4000 }) };
				}
				anchor = { start: fromBase64(anchorStart), end: fromBase64(anchorEnd), quote };
			}
			if (thread && !(await isThreadOf(tx, documentId, thread))) {
				return { field: 'form', message: m.doc_comment_reply_target() };
			}
			const id = await addComment(tx, {
				documentId,
				authorId: user.id,
				body,
				threadId: thread || null,
				anchor,
				mentions
			});
			return { id };
		}
	);
	if ('message' in outcome) {
		return fail(400, { commentErrors: { [outcome.field]: outcome.message }, values });
	}
	return { commented: thread ? m.doc_comment_reply_added() : m.doc_comment_added() };
}

/** Form action body: resolve (or reopen) a thread. */
export async function resolve(
	user: VerifiedUser,
	documentId: string,
	formData: FormData,
	resolved: boolean
) {
	const form = v.safeParse(ResolveForm, { thread: formData.get('thread') ?? undefined });
	if (!form.success) return fail(400, { resolveError: m.doc_comment_not_found() });
	const outcome = await asUser(appDb(), user.claims, async (tx) => {
		const doc = await documentForMe(tx, documentId);
		if (!doc || (doc.access !== 'comment' && doc.access !== 'edit')) return 'not allowed';
		const done = await setResolved(tx, documentId, form.output.thread, resolved ? user.id : null);
		return done ? 'done' : 'already';
	});
	if (outcome === 'not allowed') {
		return fail(403, {
			resolveError: m.doc_comment_resolve_not_allowed()
		});
	}
	if (outcome === 'already') {
		return fail(409, {
			resolveError: resolved ? m.doc_comment_already_resolved() : m.doc_comment_already_open()
		});
	}
	return { resolvedThread: form.output.thread, resolved };
}
