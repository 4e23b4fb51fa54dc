import type { MessagePart } from '$lib/paraglide/runtime.js';

/** Markup a catalogue message may use for emphasis (`{#strong}…{/strong}`), the default tag. */
export type MessageTag = 'strong';

export interface MessageSegment<T extends string = MessageTag> {
	text: string;
	tag: T | null;
}

/**
 * Flattens a message's parts (Paraglide's `m.key.parts()`) into text segments, each plain or
 * inside one of the `tags` the page asked for (`{#strong}`, `{#link}`, `{#hidden}`…), so pages
 * can mark words without `{@html}`: translators move the markup with the words, the page decides
 * how each tag looks, and the words themselves are always escaped. Tags the page did not ask for
 * are plain text, and inputs are never read as markup. The one place every page does this.
 */
export function messageSegments<T extends string = MessageTag>(
	parts: readonly MessagePart[],
	tags: readonly T[] = ['strong'] as unknown as readonly T[]
): MessageSegment<T>[] {
	const segments: MessageSegment<T>[] = [];
	let tag: T | null = null;
	for (const part of parts) {
		if (part.type === 'text') {
			if (!part.value) continue;
			const last = segments.at(-1);
			// An input splits the text into parts: keep one segment per run of the same tag.
			if (last && last.tag === tag) last.text += part.value;
			else segments.push({ text: part.value, tag });
		} else if (part.type === 'markup-start') {
			tag = (tags as readonly string[]).includes(part.name) ? (part.name as T) : null;
		} else if (part.type === 'markup-end') {
			tag = null;
		}
	}
	return segments;
}
