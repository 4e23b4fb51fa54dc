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
		expect(readQuestionWords({ ...input, optionsCy: '' })).toEqual({
			ok: true,
			options: ['Yes', 'No'],
			optionsCy: []
		});
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
