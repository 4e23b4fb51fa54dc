import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';

/**
 * Anchors: where a suggestion or comment points in a document, as Yjs relative positions. They
 * follow the words as others write around them. In forms they travel as base64 text.
 */
export function encodeAnchor(position: Y.RelativePosition): string {
	return toBase64(Y.encodeRelativePosition(position));
}

/** The position in an anchor field, or null for anything that is not one. */
export function decodeAnchor(text: string): Y.RelativePosition | null {
	if (!/^[A-Za-z0-9+/]{2,340}={0,2}$/.test(text)) return null;
	return decodeAnchorBytes(fromBase64(text));
}

/** The position in stored anchor bytes, or null if they are not one. */
export function decodeAnchorBytes(bytes: Uint8Array): Y.RelativePosition | null {
	try {
		return Y.decodeRelativePosition(bytes);
	} catch {
		return null;
	}
}
