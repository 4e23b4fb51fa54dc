import type { MessagePart } from '$lib/paraglide/runtime.js';

/** Markup a catalogue message may use (`{#strong}…{/strong}`); anything else shows as plain text. */
export type MessageTag = 'strong';

export interface MessageSegment {
	text: string;
	tag: MessageTag | null;
}

/**
 * Flattens a message's parts (Paraglide's `m.key.parts()`) into text segments, each plain or
 * inside one tag, so pages can emphasise a word without `{@html}`: translators move the markup
 * with the words, and the words themselves are always escaped.
 */
export function messageSegments(parts: readonly MessagePart[]): MessageSegment[] {
	const segments: MessageSegment[] = [];
	let tag: MessageTag | null = null;
	for (const part of parts) {
		if (part.type === 'text') {
			if (part.value) segments.push({ text: part.value, tag });
		} else if (part.type === 'markup-start') {
			tag = part.name === 'strong' ? 'strong' : null;
		} else if (part.type === 'markup-end') {
			tag = null;
		}
	}
	return segments;
}
