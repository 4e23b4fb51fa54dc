import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages.js';
import { messageSegments } from './message-parts';

describe('messageSegments', () => {
	it('keeps the emphasis where the translation puts it, in each language', () => {
		expect(
			messageSegments(m.home_welcome_next_time.parts({ name: 'sam' }, { locale: 'en' }))
		).toEqual([
			{ text: 'Next time, sign in as ', tag: null },
			{ text: 'sam', tag: 'strong' },
			{ text: ' with your password.', tag: null }
		]);
		expect(
			messageSegments(m.home_welcome_next_time.parts({ name: 'sam' }, { locale: 'cy' }))
		).toEqual([
			{ text: 'Y tro nesaf, mewngofnodwch fel ', tag: null },
			{ text: 'sam', tag: 'strong' },
			{ text: " gyda'ch cyfrinair.", tag: null }
		]);
	});

	it('shows unknown markup as plain text, and never reads inputs as markup', () => {
		expect(
			messageSegments([
				{ type: 'markup-start', name: 'script', options: {}, attributes: {} },
				{ type: 'text', value: '<b>x</b>' },
				{ type: 'markup-end', name: 'script', options: {}, attributes: {} }
			])
		).toEqual([{ text: '<b>x</b>', tag: null }]);
	});
});
