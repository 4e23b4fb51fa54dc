/** What the document page asks of its live editor (suggestions need the editor's positions). */

/** A suggestion being written: where, the words there now, and the suggested words. */
export interface SuggestionDraft {
	anchorStart: string;
	anchorEnd: string;
	original: string;
	text: string;
}

export interface EditorApi {
	/** A draft for the chosen words (or, with nothing chosen, for adding words at the caret). */
	draftFromSelection(): SuggestionDraft | null;
	/**
	 * Makes an accepted suggestion's change, as the young person: 'changed' when the words are no
	 * longer what was suggested against, 'not-ready' before the editor has loaded.
	 */
	apply(change: {
		anchorStart: string;
		anchorEnd: string;
		original: string;
		suggested: string;
	}): 'applied' | 'changed' | 'not-ready';
	/** Resolves once everything written here is saved (true) or cannot be (false). */
	saved(): Promise<boolean>;
}
