/**
 * How versions read, the same on screen, in print and in the export: plain code (no server
 * imports), so both the pages and the export's server code use it.
 */
const dateTime = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	dateStyle: 'long',
	timeStyle: 'short'
});

/** "12 March 2027 at 14:05" (UK time). */
export function formatDateTime(iso: string | Date): string {
	return dateTime.format(new Date(iso));
}
