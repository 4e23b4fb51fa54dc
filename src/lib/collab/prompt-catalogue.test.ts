import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { locales } from '$lib/i18n';
import { renderDocumentHtml } from '../server/documents/render-html';
import { localPromptWords, PROMPT_MESSAGES } from './prompt-catalogue';
import { PROMPTS, type PromptId } from './prompts';
import { buildTemplate } from './templates';

/**
 * Every template prompt is shown in each reader's language, by id: every id has a heading and a
 * question in every catalogue, English's are the words stored on new prompt nodes, and an id no
 * catalogue knows shows the words stored on its node.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const catalogue = (locale: string): Record<string, unknown> =>
	JSON.parse(readFileSync(path.join(root, 'messages', `${locale}.json`), 'utf8'));
const ids = Object.keys(PROMPTS) as PromptId[];
const key = (id: string, part: 'heading' | 'prompt') => `prompt_${id.replace('.', '_')}_${part}`;

describe('template prompts in the catalogues', () => {
	for (const locale of locales) {
		it(`has a heading and a question for every prompt id in ${locale}`, () => {
			const messages = catalogue(locale);
			for (const id of ids) {
				for (const part of ['heading', 'prompt'] as const) {
					const text = messages[key(id, part)];
					expect(typeof text === 'string' && text.trim() !== '', `${locale} ${key(id, part)}`).toBe(
						true
					);
					expect(PROMPT_MESSAGES[id][part]({}, { locale }), `${locale} ${id} ${part}`).toBe(text);
				}
			}
		});
	}

	it('says in English what prompts.ts stores on new prompt nodes', () => {
		for (const id of ids) {
			expect(localPromptWords({ promptId: id }, 'en')).toEqual(PROMPTS[id]);
		}
	});

	it('shows a prompt in the language asked for, whatever words its node stores', () => {
		const stored = { promptId: 'care_plan.about_me', heading: 'About me', prompt: 'old words' };
		expect(localPromptWords(stored, 'cy')).toEqual({
			heading: 'Amdanaf i',
			prompt: 'Beth ydych chi eisiau i bobl ei wybod amdanoch chi?'
		});
		expect(localPromptWords(stored, 'en').prompt).toBe(PROMPTS['care_plan.about_me'].prompt);
	});

	it('falls back to the words stored on the node for an id no catalogue knows', () => {
		const stored = { promptId: 'care_plan.from_the_future', heading: 'H', prompt: 'P' };
		expect(localPromptWords(stored, 'cy')).toEqual({ heading: 'H', prompt: 'P' });
		expect(localPromptWords({ promptId: 'toString' }, 'cy')).toEqual({ heading: '', prompt: '' });
	});

	it('renders a care plan’s prompts in the language chosen for it (as a print does)', () => {
		const doc = new Y.Doc();
		buildTemplate(doc, 'care_plan');
		const welsh = renderDocumentHtml(doc, undefined, 'cy');
		expect(welsh).toContain('<h3>Fy nymuniadau a fy nheimladau</h3>');
		expect(welsh).not.toContain('My wishes and feelings');
		expect(renderDocumentHtml(doc, undefined, 'en')).toContain('<h3>My wishes and feelings</h3>');
		doc.destroy();
	});
});
