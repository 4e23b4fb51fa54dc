import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages.js';
import { messageSegments } from '$lib/message-parts';

describe('messageSegments', () => {
	it('keeps the words only a screen reader hears where each language puts them', () => {
		const parts = (locale: 'en' | 'cy') =>
			messageSegments(m.feedback_change_answer.parts({ prompt: 'Q?' }, { locale }), [
				'hidden'
			] as const);
		expect(parts('en')).toEqual([
			{ text: 'Change', tag: null },
			{ text: ' your answer to "Q?"', tag: 'hidden' }
		]);
		expect(parts('cy')).toEqual([
			{ text: 'Newid', tag: null },
			{ text: ' eich ateb i "Q?"', tag: 'hidden' }
		]);
	});

	it('shows markup the page did not ask for as plain text', () => {
		expect(
			messageSegments(m.said_did_designer_intro.parts({}, { locale: 'en' }), ['hidden'] as const)
				.map((s) => s.tag)
				.every((t) => t === null)
		).toBe(true);
	});
});
