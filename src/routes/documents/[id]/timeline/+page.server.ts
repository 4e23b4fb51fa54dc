import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';
import { appDb, asUser, type Tx } from '$lib/server/db';
import {
	addTimelineEntry,
	decideSuggestion,
	removeTimelineEntry,
	timelineOf,
	updateTimelineEntry
} from '$lib/server/db/story-timeline';
import { openStory, storyNotFound } from '$lib/server/documents/story';
import { optionalText, parseForm, requiredText } from '$lib/server/forms';
import { requireUser } from '$lib/server/guards';
import { m } from '$lib/paraglide/messages.js';

const EntryForm = v.object({
	// optional first: a form with no choice made sends no `kind` at all.
	kind: v.pipe(
		v.optional(v.string(), ''),
		v.picklist(['place', 'person', 'school'], () => m.timeline_choose_kind())
	),
	name: requiredText(() => m.timeline_name_field(), 120),
	period: optionalText(() => m.timeline_when_field(), 40),
	note: optionalText(() => m.timeline_note_field(), 1000)
});

/** Read when a message is made, in that request's language. */
const somethingWrong = () => m.story_something_wrong();
const EntryId = v.object({ entry: v.pipe(v.optional(v.string(), ''), v.uuid(somethingWrong)) });
const EditForm = v.object({ ...EntryForm.entries, ...EntryId.entries });

/**
 * The story's timeline. The young person sees everything, including ideas others suggested;
 * people the story is shared with see what the young person accepted (and, if they may comment,
 * their own ideas still waiting). Each load is audit-logged in the same transaction.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = requireUser(locals);
	const found = await asUser(appDb(), user.claims, async (tx) => {
		const story = await openStory(tx, params.id, user.id, { audit: true });
		if (!story) return null;
		return { story, entries: await timelineOf(tx, story.id) };
	});
	if (!found) storyNotFound();
	const { story, entries } = found;
	const view = (e: (typeof entries)[number]) => ({
		id: e.id,
		kind: e.kind,
		name: e.name,
		period: e.period,
		note: e.note,
		// Shown only when someone else added it (the young person's own entries need no credit),
		// and only to the young person and whoever it was: who else the story is shared with is
		// the young person's to know.
		addedBy:
			e.added_by === story.young_person_id || !(story.isOwner || e.added_by === user.id)
				? null
				: (e.added_by_name ?? m.timeline_someone()),
		mine: e.added_by === user.id
	});
	return {
		story: {
			id: story.id,
			youngPersonName: story.young_person_name,
			isOwner: story.isOwner,
			canSuggest: !story.isOwner && story.access === 'comment'
		},
		entries: entries.filter((e) => e.status === 'accepted').map(view),
		// RLS shows waiting suggestions only to the young person and to whoever suggested them.
		waiting: entries.filter((e) => e.status === 'suggested').map(view)
	};
};

/** Runs `work` on the caller's own story (or a 404), outside the audit: writes are not reads. */
async function withMyStory<T>(
	locals: App.Locals,
	rawId: string,
	work: (tx: Tx, storyId: string) => Promise<T>
): Promise<T | 'not yours'> {
	const user = requireUser(locals);
	return asUser(appDb(), user.claims, async (tx) => {
		const story = await openStory(tx, rawId, user.id, { audit: false });
		if (!story) storyNotFound();
		if (!story.isOwner) return 'not yours' as const;
		return work(tx, story.id);
	});
}

const notYours = () => fail(403, { errors: { form: m.timeline_not_yours() }, values: {} });

export const actions: Actions = {
	/** The young person adds to their timeline; someone who may comment suggests an entry. */
	add: async ({ locals, params, request }) => {
		const user = requireUser(locals);
		const form = parseForm(EntryForm, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: form.values });
		const outcome = await asUser(appDb(), user.claims, async (tx) => {
			const story = await openStory(tx, params.id, user.id, { audit: false });
			if (!story) storyNotFound();
			const status = story.isOwner ? 'accepted' : story.access === 'comment' ? 'suggested' : null;
			if (!status) return { refused: true as const };
			await addTimelineEntry(tx, {
				...form.data,
				documentId: story.id,
				addedBy: user.id,
				status
			});
			return { status, owner: story.young_person_name };
		});
		if ('refused' in outcome) {
			return fail(403, {
				errors: { form: m.timeline_cannot_add() },
				values: form.values
			});
		}
		return {
			message:
				outcome.status === 'accepted'
					? m.timeline_added({ name: form.data.name })
					: m.timeline_suggested({ owner: outcome.owner })
		};
	},

	/** The young person changes the words of one entry. */
	edit: async ({ locals, params, request }) => {
		const form = parseForm(EditForm, await request.formData());
		if (!form.ok) {
			// Each entry has its own form: name the fields after the entry so the errors land there.
			const entry = form.values.entry ?? '';
			const errors = Object.fromEntries(
				Object.entries(form.errors).map(([k, e]) => [k === 'form' ? k : `${k}-${entry}`, e])
			);
			return fail(400, { errors, values: form.values, editing: entry });
		}
		const outcome = await withMyStory(locals, params.id, (tx, storyId) =>
			updateTimelineEntry(tx, storyId, form.data.entry, form.data)
		);
		if (outcome === 'not yours') return notYours();
		if (!outcome) return fail(400, { errors: { form: somethingWrong() }, values: {} });
		return { message: m.timeline_changed({ name: form.data.name }) };
	},

	/** The young person takes an entry off their timeline. */
	remove: async ({ locals, params, request }) => {
		const form = parseForm(EntryId, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: {} });
		const outcome = await withMyStory(locals, params.id, (tx, storyId) =>
			removeTimelineEntry(tx, storyId, form.data.entry)
		);
		if (outcome === 'not yours') return notYours();
		if (!outcome) return fail(400, { errors: { form: somethingWrong() }, values: {} });
		return { message: m.timeline_removed() };
	},

	/** The young person says yes to someone's idea: only now does it show as on the timeline. */
	accept: async ({ locals, params, request }) => {
		const form = parseForm(EntryId, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: {} });
		const outcome = await withMyStory(locals, params.id, (tx, storyId) =>
			decideSuggestion(tx, storyId, form.data.entry, 'accepted')
		);
		if (outcome === 'not yours') return notYours();
		if (!outcome) return fail(400, { errors: { form: somethingWrong() }, values: {} });
		return { message: m.timeline_accepted() };
	},

	/** The young person says no to someone's idea; it stays off the timeline. */
	decline: async ({ locals, params, request }) => {
		const form = parseForm(EntryId, await request.formData());
		if (!form.ok) return fail(400, { errors: form.errors, values: {} });
		const outcome = await withMyStory(locals, params.id, (tx, storyId) =>
			decideSuggestion(tx, storyId, form.data.entry, 'declined')
		);
		if (outcome === 'not yours') return notYours();
		if (!outcome) return fail(400, { errors: { form: somethingWrong() }, values: {} });
		return { message: m.timeline_declined() };
	}
};
