import { describe, expect, it } from 'vitest';
import { readQuestionWords } from './question-form';

const input = {
	kind: 'single' as const,
	options: 'Yes\nNo\n',
	promptCy: 'Ydych chi?',
	simplePromptCy: null,
	optionsCy: 'Ydw\r\nNac ydw'
};

describe('readQuestionWords', () => {
	it('reads the answers in both languages, in the same order', () => {
		expect(readQuestionWords(input)).toEqual({
			ok: true,
			options: ['Yes', 'No'],
			optionsCy: ['Ydw', 'Nac ydw']
		});
		expect(readQuestionWords({ ...input, promptCy: null, optionsCy: '' })).toEqual({
			ok: true,
			options: ['Yes', 'No'],
			optionsCy: []
		});
	});

	it('asks for the answers in Welsh when the question is in Welsh', () => {
		// English answers under a Welsh question would be marked and read aloud as Welsh.
		const result = readQuestionWords({ ...input, optionsCy: '' });
		expect(!result.ok && Object.keys(result.errors)).toEqual(['optionsCy']);
	});

	it('refuses a NUL character in the answers instead of failing in the database', () => {
		const result = readQuestionWords({ ...input, optionsCy: 'Ydw\nNac\u0000ydw' });
		expect(!result.ok && Object.keys(result.errors)).toEqual(['optionsCy']);
		const english = readQuestionWords({ ...input, options: 'Yes\u0000\nNo' });
		expect(!english.ok && Object.keys(english.errors)).toEqual(['options']);
	});

	it('refuses Welsh answers that do not match the English ones one for one', () => {
		const result = readQuestionWords({ ...input, optionsCy: 'Ydw' });
		expect(result.ok).toBe(false);
		expect(!result.ok && Object.keys(result.errors)).toEqual(['optionsCy']);
	});

	it('asks for the Welsh question before Welsh answers or simpler words', () => {
		const result = readQuestionWords({ ...input, promptCy: null, simplePromptCy: 'Syml' });
		expect(!result.ok && Object.keys(result.errors)).toEqual(['promptCy']);
	});

	it('keeps no answers for a question that has none', () => {
		expect(
			readQuestionWords({ ...input, kind: 'scale', options: 'a\nb', optionsCy: 'c\nd' })
		).toEqual({ ok: true, options: [], optionsCy: [] });
	});
});
