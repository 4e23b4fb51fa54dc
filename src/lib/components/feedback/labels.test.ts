import { describe, expect, it } from 'vitest';
import { optionLabels, promptFor, wordingFor, type QuestionWords } from './labels';

const advocate: QuestionWords = {
	kind: 'single',
	prompt: 'Do you know how to get an advocate?',
	simple_prompt: 'Do you know who can speak up for you?',
	options: ['Yes', 'No', 'Not sure'],
	prompt_cy: "Ydych chi'n gwybod sut i gael eiriolwr?",
	simple_prompt_cy: "Ydych chi'n gwybod pwy all siarad ar eich rhan chi?",
	options_cy: ['Ydw', 'Nac ydw', 'Dim yn siŵr']
};

describe('wordingFor', () => {
	it('gives each reader the words in their language, simpler for the younger versions', () => {
		expect(wordingFor(advocate, 'age_11_17', 'en')).toEqual({
			prompt: 'Do you know how to get an advocate?',
			options: ['Yes', 'No', 'Not sure'],
			lang: 'en'
		});
		expect(wordingFor(advocate, 'age_11_17', 'cy')).toEqual({
			prompt: "Ydych chi'n gwybod sut i gael eiriolwr?",
			options: ['Ydw', 'Nac ydw', 'Dim yn siŵr'],
			lang: 'cy'
		});
		expect(promptFor(advocate, 'age_8_11', 'cy')).toBe(
			"Ydych chi'n gwybod pwy all siarad ar eich rhan chi?"
		);
		expect(promptFor(advocate, 'age_8_11', 'en')).toBe('Do you know who can speak up for you?');
	});

	it('keeps option k the same answer in both languages', () => {
		const en = optionLabels(advocate, 'en');
		const cy = optionLabels(advocate, 'cy');
		expect(en.indexOf('No')).toBe(cy.indexOf('Nac ydw'));
	});

	it('falls back to English, and says so, when the question is not written in Welsh', () => {
		const englishOnly = { ...advocate, prompt_cy: null, simple_prompt_cy: null, options_cy: [] };
		expect(wordingFor(englishOnly, 'age_8_11', 'cy')).toEqual({
			prompt: 'Do you know who can speak up for you?',
			options: ['Yes', 'No', 'Not sure'],
			lang: 'en'
		});
		// Welsh question without simpler Welsh words: Welsh beats simpler.
		expect(promptFor({ ...advocate, simple_prompt_cy: null }, 'age_4_7', 'cy')).toBe(
			"Ydych chi'n gwybod sut i gael eiriolwr?"
		);
	});
});
