import { describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime.js';
import { currentLocale, withLocale } from '$lib/server/i18n';
import { KIND_LABELS } from './open';
import { PHOTO_MESSAGES } from './photos';
import { ownWordsLabel, promptLabel } from './render-html';
import { documentTitle } from './titles';

// As src/hooks.server.ts does: messages speak the language of the request being handled.
overwriteGetLocale(currentLocale);

describe("documents' words follow the request's language", () => {
	it('labels whose words are whose, and prompts, in the reader’s language', () => {
		expect(ownWordsLabel('Sam')).toBe('Sam’s own words:');
		expect(withLocale('cy', () => ownWordsLabel('Sam'))).toBe('Geiriau Sam ei hun:');
		expect(withLocale('cy', () => ownWordsLabel('Sam', true))).toBe('Eich geiriau eich hun:');
		expect(withLocale('cy', () => promptLabel())).toBe('Cwestiwn:');
	});

	it('reads shared labels when used, never once when the module loads', () => {
		expect(KIND_LABELS.care_plan).toBe('Care plan');
		expect(withLocale('cy', () => KIND_LABELS.care_plan)).toBe('Cynllun gofal');
		expect(withLocale('cy', () => PHOTO_MESSAGES['too-big'])).toBe(
			"Mae'r llun yna'n rhy fawr. Gall lluniau fod hyd at 5 MB. Dewiswch un llai."
		);
		expect(PHOTO_MESSAGES['too-big']).toBe(
			'That photo is too big. Photos can be up to 5 MB. Please choose a smaller one.'
		);
	});

	it('names a new document in the language of whoever starts it', () => {
		expect(documentTitle('care_plan', 'Sam')).toBe("Sam's care plan");
		expect(documentTitle('pathway_plan', 'Alex')).toBe("Alex's pathway plan");
		expect(documentTitle('my_story', '')).toBe('My story');
		expect(withLocale('cy', () => documentTitle('care_plan', 'Sam'))).toBe('Cynllun gofal Sam');
		expect(withLocale('cy', () => documentTitle('my_story', ''))).toBe('Fy stori');
	});
});
