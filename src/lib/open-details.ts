import { browser } from '$app/environment';

/**
 * A `<details>` the page opens (to show a form's errors) without ever closing one a person
 * opened. Bound as `open={…}`, hydration sets `open` back to what the server rendered, closing
 * details someone tapped open before the page's script had loaded, with the words they were
 * typing inside. So the server renders `open` (`{...serverOpen(x)}`, for the page without
 * JavaScript) and in the browser only `use:openWhen={x}` opens it, never closes it.
 */
export function serverOpen(open: boolean): { open?: boolean } {
	return browser ? {} : { open };
}

export function openWhen(node: HTMLDetailsElement, open: boolean) {
	if (open) node.open = true;
	return {
		update(next: boolean) {
			if (next) node.open = true;
		}
	};
}
