import { describe, expect, it } from 'vitest';
import { pickLocalVoice, type VoiceFacts } from './read-aloud';

const voice = (
	name: string,
	lang: string,
	localService: boolean,
	isDefault = false
): VoiceFacts => ({
	name,
	lang,
	localService,
	default: isDefault
});

describe('pickLocalVoice', () => {
	it('never picks a network voice, even the default one for the language', () => {
		const cloud = voice('Cloud English', 'en-GB', false, true);
		expect(pickLocalVoice([cloud], 'en-GB')).toBeNull();
		const phone = voice('Phone English', 'en-US', true);
		expect(pickLocalVoice([cloud, phone], 'en-GB')).toBe(phone);
	});

	it("prefers a local voice for the page's language, Welsh included", () => {
		const english = voice('English', 'en-GB', true, true);
		const welsh = voice('Welsh', 'cy-GB', true);
		const cloudWelsh = voice('Cloud Welsh', 'cy', false);
		expect(pickLocalVoice([english, cloudWelsh, welsh], 'cy')).toBe(welsh);
		expect(pickLocalVoice([english, welsh], 'en-GB')).toBe(english);
	});

	it('matches the exact region first, and reads Android-style tags', () => {
		const us = voice('US', 'en_US', true, true);
		const gb = voice('GB', 'en_GB', true);
		expect(pickLocalVoice([us, gb], 'en-GB')).toBe(gb);
		expect(pickLocalVoice([us, gb], 'en')).toBe(us);
	});

	it("falls back to the phone's default local voice when none speaks the language", () => {
		const a = voice('A', 'fr-FR', true);
		const b = voice('B', 'en-GB', true, true);
		expect(pickLocalVoice([a, b], 'cy')).toBe(b);
		expect(pickLocalVoice([a], 'cy')).toBe(a);
		expect(pickLocalVoice([], 'cy')).toBeNull();
	});
});
