import { describe, expect, it } from 'vitest';
import type { Question } from '../db/survey-questions';
import { readAnswer } from './answers';

const q = (kind: Question['kind'], options: string[] = []): Question => ({
	id: 'q',
	survey_id: 's',
	position: 1,
	kind,
	key: 'k',
	prompt: 'Q?',
	simple_prompt: null,
	options,
	only_band: null,
	prompt_cy: null,
	simple_prompt_cy: null,
	options_cy: []
});
const form = (...answers: string[]) => {
	const f = new FormData();
	for (const a of answers) f.append('answer', a);
	return f;
};

describe('readAnswer', () => {
	it('treats nothing chosen as skipped', () => {
		expect(readAnswer(q('scale'), form())).toEqual({ ok: true, value: null });
		expect(readAnswer(q('text'), form('   '))).toEqual({ ok: true, value: null });
	});
	it('reads a scale point, choices and text', () => {
		expect(readAnswer(q('scale'), form('4'))).toEqual({ ok: true, value: [4] });
		expect(readAnswer(q('multiple', ['a', 'b', 'c']), form('3', '1'))).toEqual({
			ok: true,
			value: [1, 3]
		});
		expect(readAnswer(q('anything_else'), form(' hi '))).toEqual({ ok: true, value: 'hi' });
	});
	it('refuses answers that are not the question’s own', () => {
		expect(readAnswer(q('scale'), form('6')).ok).toBe(false);
		expect(readAnswer(q('single', ['a', 'b']), form('1', '2')).ok).toBe(false);
		expect(readAnswer(q('single', ['a', 'b']), form('x')).ok).toBe(false);
		expect(readAnswer(q('text'), form('x'.repeat(2001))).ok).toBe(false);
	});
});
