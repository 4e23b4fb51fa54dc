import type { MessagePart } from '../../paraglide/runtime.js';

export interface TaggedSegment<T extends string> {
	text: string;
	tag: T | null;
}

/**
 * Like `messageSegments` ($lib/message-parts), for a page's own markup in a message: a link
 * (`{#link}…{/link}`) or words only a screen reader hears (`{#hidden}…{/hidden}`). The page
 * decides how each tag looks; the translation decides where it goes. Tags the page did not ask
 * for are plain text, and inputs are never read as markup.
 */
export function taggedSegments<T extends string>(
	parts: readonly MessagePart[],
	tags: readonly T[]
): TaggedSegment<T>[] {
	const segments: TaggedSegment<T>[] = [];
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
