/**
 * Reading aloud with a voice on the phone itself (issue 16, item 2). Only voices whose
 * `localService` is true are ever used: a network voice would send a child's page to a cloud
 * speech service. The browser may know its voices only some time after the page loads (Chrome
 * fills the list later and says so with `voiceschanged`), so the list is watched, not read once.
 * Browser-only; the pure parts (choosing a voice) are unit-tested.
 */

/** What of a voice the choice looks at (SpeechSynthesisVoice has all of it). */
export interface VoiceFacts {
	lang: string;
	localService: boolean;
	default: boolean;
	name: string;
}

/** "en_GB" (Android writes it so) and "en-gb" both become "en-GB"'s language, "en". */
const languageOf = (tag: string) => tag.replace('_', '-').split('-')[0]!.toLowerCase();
const sameTag = (a: string, b: string) =>
	a.replace('_', '-').toLowerCase() === b.replace('_', '-').toLowerCase();

/**
 * The voice to read `lang` with: a voice on this device for that language (the exact region
 * first, then the device's default for it), else the device's own default local voice, else any
 * local voice. Never a network voice: with none on the device the answer is null.
 */
export function pickLocalVoice<V extends VoiceFacts>(voices: readonly V[], lang: string): V | null {
	const local = voices.filter((voice) => voice.localService === true);
	const language = languageOf(lang);
	const forLanguage = local.filter((voice) => languageOf(voice.lang) === language);
	return (
		forLanguage.find((voice) => sameTag(voice.lang, lang)) ??
		forLanguage.find((voice) => voice.default) ??
		forLanguage[0] ??
		local.find((voice) => voice.default) ??
		local[0] ??
		null
	);
}

/** How long to wait for a first list of voices before saying this phone has none. */
const VOICES_WAIT_MS = 4000;

export type VoicesState = 'waiting' | 'ready' | 'none';

/**
 * Calls `onChange` with the device's voices now and each time the list changes, and with
 * 'waiting' until a first list arrives (then 'none' if it never does). Returns a function that
 * stops watching.
 */
export function watchVoices(
	synth: SpeechSynthesis,
	onChange: (state: VoicesState, voices: SpeechSynthesisVoice[]) => void
): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const read = () => {
		const voices = synth.getVoices();
		if (voices.length > 0) {
			clearTimeout(timer);
			timer = undefined;
			onChange(voices.some((voice) => voice.localService === true) ? 'ready' : 'none', voices);
		}
		return voices.length > 0;
	};
	synth.addEventListener('voiceschanged', read);
	if (!read()) {
		onChange('waiting', []);
		timer = setTimeout(() => onChange('none', []), VOICES_WAIT_MS);
	}
	return () => {
		clearTimeout(timer);
		synth.removeEventListener('voiceschanged', read);
	};
}

/** One piece to read: a heading, a question, an answer. */
export interface ReadPart {
	text: string;
	/** The language of these words (BCP 47), which picks the voice. */
	lang: string;
}

/** The pause between two parts, so a question and each answer are heard apart. */
const PAUSE_MS = 600;

/**
 * Reads the parts one after another, each as its own utterance, with a pause between them, each
 * with a local voice for its language. A part with no local voice is skipped (never read by a
 * network voice). Returns a function that stops reading; `onDone` is called when it ends, either
 * way.
 */
export function speakInOrder(
	synth: SpeechSynthesis,
	voices: readonly SpeechSynthesisVoice[],
	parts: readonly ReadPart[],
	onDone: () => void
): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const finish = () => {
		if (stopped) return;
		stopped = true;
		onDone();
	};
	const next = (index: number) => {
		if (stopped) return;
		const part = parts[index];
		if (!part) return finish();
		const voice = pickLocalVoice(voices, part.lang);
		if (!voice || !part.text.trim()) return next(index + 1);
		const utterance = new SpeechSynthesisUtterance(part.text);
		utterance.voice = voice;
		utterance.lang = voice.lang;
		utterance.rate = 0.9;
		const after = () => {
			timer = setTimeout(() => next(index + 1), PAUSE_MS);
		};
		utterance.onend = after;
		utterance.onerror = after;
		synth.speak(utterance);
	};
	synth.cancel();
	next(0);
	return () => {
		clearTimeout(timer);
		synth.cancel();
		finish();
	};
}

/** The blocks of a page that are read one by one, in order. */
const BLOCKS = 'h1,h2,h3,h4,h5,h6,p,li,dt,dd,label,legend,th,td,blockquote,figcaption,caption';

/**
 * The parts of `root` to read, in page order: each block of text that holds no other block, with
 * the language it is marked in. Hidden text and anything inside `[data-no-read-aloud]` (the
 * read-aloud buttons themselves) are left out.
 */
export function partsOf(root: HTMLElement, pageLang: string): ReadPart[] {
	const parts: ReadPart[] = [];
	for (const block of root.querySelectorAll<HTMLElement>(BLOCKS)) {
		if (block.querySelector(BLOCKS) || block.closest('[data-no-read-aloud]')) continue;
		const text = block.innerText.trim();
		if (!text) continue;
		const lang = block.closest('[lang]')?.getAttribute('lang') ?? pageLang;
		parts.push({ text, lang });
	}
	return parts;
}
