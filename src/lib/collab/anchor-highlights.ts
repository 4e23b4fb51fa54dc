import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { redrawAfterLocalEdits } from './redraw-after-local-edits';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { decodeAnchor } from './anchors';

/**
 * Highlights the words open comment threads are about. Anchors are Yjs relative positions, so
 * the highlight follows the words as people write around them; a thread whose words are gone
 * simply has no highlight (its quote is still shown with the comment).
 */

export interface HighlightedAnchor {
	id: string;
	anchorStart: string;
	anchorEnd: string;
}

export interface AnchorHighlightOptions {
	doc: Y.Doc | null;
	fragment: Y.XmlFragment | null;
	anchors: () => HighlightedAnchor[];
}

export const anchorHighlightsKey = new PluginKey<DecorationSet>('anchorHighlights');

function compute(state: EditorState, options: AnchorHighlightOptions): DecorationSet {
	const mapping = ySyncPluginKey.getState(state)?.binding?.mapping;
	const { doc, fragment } = options;
	if (!mapping || !doc || !fragment) return DecorationSet.empty;
	const decorations: Decoration[] = [];
	for (const anchor of options.anchors()) {
		const start = decodeAnchor(anchor.anchorStart);
		const end = decodeAnchor(anchor.anchorEnd);
		if (!start || !end) continue;
		const from = relativePositionToAbsolutePosition(doc, fragment, start, mapping);
		const to = relativePositionToAbsolutePosition(doc, fragment, end, mapping);
		if (from === null || to === null || to <= from || to > state.doc.content.size) continue;
		decorations.push(
			Decoration.inline(from, to, { class: 'comment-anchor', 'data-thread': anchor.id })
		);
	}
	return DecorationSet.create(state.doc, decorations);
}

export const AnchorHighlights = Extension.create<AnchorHighlightOptions>({
	name: 'anchorHighlights',

	addOptions() {
		return { doc: null, fragment: null, anchors: () => [] };
	},

	addProseMirrorPlugins() {
		const options = this.options;
		return [
			new Plugin<DecorationSet>({
				key: anchorHighlightsKey,
				state: {
					init: (_config, state) => compute(state, options),
					apply(tr, value, _old, state) {
						if (tr.getMeta(anchorHighlightsKey) || tr.getMeta(ySyncPluginKey)) {
							return compute(state, options);
						}
						return tr.docChanged ? value.map(tr.mapping, tr.doc) : value;
					}
				},
				props: {
					decorations: (state) => anchorHighlightsKey.getState(state)
				},
				view: redrawAfterLocalEdits(anchorHighlightsKey)
			})
		];
	}
});

/** Redraws the highlights (the list of threads changed). */
export function refreshAnchorHighlights(view: {
	state: EditorState;
	dispatch: (tr: Transaction) => void;
}) {
	view.dispatch(view.state.tr.setMeta(anchorHighlightsKey, true));
}
