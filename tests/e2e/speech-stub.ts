import type { BrowserContext, Page } from '@playwright/test';

/**
 * A stand-in for the browser's speech synthesis (Debian's Chromium here has no voices), put in
 * place before any page script runs. It records what each utterance said and with which voice
 * in `window.spoken`, ends each utterance at once, and, with `later`, starts with no voices and
 * announces them (`voiceschanged`) only when the test calls `window.announceVoices()`, as Chrome
 * does some time after a page loads.
 */
export interface FakeVoice {
	name: string;
	lang: string;
	localService: boolean;
	default?: boolean;
}

export interface Spoken {
	text: string;
	voice: string | null;
	lang: string;
}

export async function stubSpeech(
	target: BrowserContext | Page,
	voices: FakeVoice[],
	options: { later?: boolean } = {}
): Promise<void> {
	await target.addInitScript(
		({ voices, later }) => {
			const w = window as unknown as { spoken: Spoken[]; announceVoices: () => void };
			w.spoken = [];
			let available = later ? [] : voices;
			const events = new EventTarget();
			type Utterance = { text: string; lang: string; voice: { name: string } | null } & {
				onend: ((e: Event) => void) | null;
			};
			const synth = {
				speaking: false,
				pending: false,
				paused: false,
				onvoiceschanged: null,
				getVoices: () =>
					available.map((v) => ({ ...v, default: v.default ?? false, voiceURI: v.name })),
				speak(u: Utterance) {
					w.spoken.push({ text: u.text, voice: u.voice?.name ?? null, lang: u.lang });
					setTimeout(() => u.onend?.(new Event('end')), 0);
				},
				cancel() {},
				pause() {},
				resume() {},
				addEventListener: events.addEventListener.bind(events),
				removeEventListener: events.removeEventListener.bind(events),
				dispatchEvent: events.dispatchEvent.bind(events)
			};
			w.announceVoices = () => {
				available = voices;
				events.dispatchEvent(new Event('voiceschanged'));
			};
			class FakeUtterance {
				text: string;
				lang = '';
				voice: { name: string } | null = null;
				rate = 1;
				onend: ((e: Event) => void) | null = null;
				onerror: ((e: Event) => void) | null = null;
				constructor(text = '') {
					this.text = text;
				}
			}
			Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
			Object.defineProperty(window, 'SpeechSynthesisUtterance', {
				value: FakeUtterance,
				configurable: true,
				writable: true
			});
		},
		{ voices, later: options.later ?? false }
	);
}

/** What the page has said so far. */
export const spokenOn = (page: Page) =>
	page.evaluate(() => (window as unknown as { spoken: Spoken[] }).spoken);
