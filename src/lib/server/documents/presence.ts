/**
 * Caret colours: dark enough for white text on them and distinct from each other (WCAG AA
 * contrast against white). A person keeps the same colour everywhere, derived from their id, so
 * nothing about them needs storing.
 */
const COLOURS = [
	'#1d4f91',
	'#8a1c7c',
	'#0b6e4f',
	'#a33b00',
	'#5c3c92',
	'#00607a',
	'#8c1d18',
	'#4a5a00'
];

export function colourFor(userId: string): string {
	let hash = 0;
	for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
	return COLOURS[hash % COLOURS.length] ?? '#1d4f91';
}
