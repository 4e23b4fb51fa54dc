import type { PluginKey, PluginView } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/**
 * A plugin view that asks for a redraw (a transaction carrying `key` as meta) after each local
 * edit. A local edit reaches Yjs only in the sync plugin's own view update, after plugins'
 * state has been computed; decorations read from Yjs are redrawn once it has, in a microtask,
 * at most once per batch of edits.
 */
export function redrawAfterLocalEdits(key: PluginKey): () => PluginView {
	let queued = false;
	return () => ({
		update(view: EditorView, previous) {
			if (queued || view.state.doc === previous.doc) return;
			queued = true;
			queueMicrotask(() => {
				queued = false;
				if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, true));
			});
		}
	});
}
