/**
 * Reading settings (issue 16, item 1): what they are, their defaults, how they travel in the
 * cookie a person keeps before signing in, and the classes on <html> that apply them. Shared by
 * the server (which applies them to every page it renders, so they work without JavaScript and on
 * the first paint) and the settings page. Never kept in localStorage or IndexedDB.
 */
export const TEXT_SIZES = ['standard', 'large', 'larger'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

export interface ReadingSettings {
	textSize: TextSize;
	/** The easy-to-read font shipped with the app (Lexend, served from the app's own origin). */
	readableFont: boolean;
	wideSpacing: boolean;
	highContrast: boolean;
	reducedMotion: boolean;
	readAloud: boolean;
}

export const DEFAULT_READING: Readonly<ReadingSettings> = {
	textSize: 'standard',
	readableFont: false,
	wideSpacing: false,
	highContrast: false,
	reducedMotion: false,
	readAloud: false
};

const isTextSize = (value: unknown): value is TextSize =>
	typeof value === 'string' && (TEXT_SIZES as readonly string[]).includes(value);

/** The name of the cookie that carries the settings of someone not signed in. */
export const READING_COOKIE = 'reading';

/** Each on/off setting's short name in the cookie. */
const SWITCHES = {
	readableFont: 'font',
	wideSpacing: 'spacing',
	highContrast: 'contrast',
	reducedMotion: 'motion',
	readAloud: 'aloud'
} as const satisfies Record<Exclude<keyof ReadingSettings, 'textSize'>, string>;

/** `size=large&font=1&…`: only what differs from the defaults, so an unset cookie is empty. */
export function encodeReadingCookie(settings: ReadingSettings): string {
	const out = new URLSearchParams();
	if (settings.textSize !== 'standard') out.set('size', settings.textSize);
	for (const [key, name] of Object.entries(SWITCHES)) {
		if (settings[key as keyof typeof SWITCHES]) out.set(name, '1');
	}
	return out.toString();
}

/**
 * The settings a cookie holds. Anyone can write any cookie: whatever is not exactly what
 * `encodeReadingCookie` writes reads as the default, never as an error.
 */
export function decodeReadingCookie(raw: string | undefined): ReadingSettings {
	if (!raw || raw.length > 200) return { ...DEFAULT_READING };
	const params = new URLSearchParams(raw);
	const size = params.get('size');
	const settings: ReadingSettings = {
		...DEFAULT_READING,
		textSize: isTextSize(size) ? size : 'standard'
	};
	for (const [key, name] of Object.entries(SWITCHES)) {
		settings[key as keyof typeof SWITCHES] = params.get(name) === '1';
	}
	return settings;
}

/** The classes on <html> that app.css styles; empty for the defaults. */
export function readingClasses(settings: ReadingSettings): string {
	return [
		settings.textSize !== 'standard' && `text-${settings.textSize}`,
		settings.readableFont && 'font-readable',
		settings.wideSpacing && 'spacing-wide',
		settings.highContrast && 'contrast-high',
		settings.reducedMotion && 'motion-reduced'
	]
		.filter(Boolean)
		.join(' ');
}
