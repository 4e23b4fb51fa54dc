/**
 * Whether "Exit this page" has been used on this page (ExitThisPage.svelte). Leaving then is never
 * held up: no "Leave site?" dialog and no question about unsaved changes, whatever is unsaved. A
 * person who needs to hide the screen at once comes first.
 */
let exiting = false;

export function markExiting(): void {
	exiting = true;
}

export function isExiting(): boolean {
	return exiting;
}
