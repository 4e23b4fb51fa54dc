import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, readLimitedForm, UnreadableFormError } from './request-body';

const CHUNK = 64 * 1024;

/** A chunked request (no Content-Length) of `total` bytes; `pulled` says how much was read. */
function chunkedRequest(total: number) {
	const state = { pulled: 0 };
	const boundary = 'b';
	const head = new TextEncoder().encode(
		`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n` +
			`Content-Type: image/jpeg\r\n\r\n`
	);
	let first = true;
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (first) {
				first = false;
				controller.enqueue(head);
				state.pulled += head.byteLength;
				return;
			}
			if (state.pulled >= total) {
				controller.close();
				return;
			}
			controller.enqueue(new Uint8Array(CHUNK));
			state.pulled += CHUNK;
		}
	});
	const request = new Request('http://localhost/upload', {
		method: 'POST',
		body,
		duplex: 'half',
		headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }
	} as RequestInit);
	return { request, state };
}

describe('readLimitedForm', () => {
	it('stops reading a chunked body at the limit, without reading the rest', async () => {
		const { request, state } = chunkedRequest(30 * 1024 * 1024);
		await expect(readLimitedForm(request, 1024 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
		// At most the limit plus the chunks already in flight, never the 30 MB.
		expect(state.pulled).toBeLessThan(2 * 1024 * 1024);
	});

	it('refuses a declared Content-Length over the limit before reading anything', async () => {
		const request = new Request('http://localhost/upload', {
			method: 'POST',
			body: 'x'.repeat(2048),
			headers: { 'content-type': 'multipart/form-data; boundary=b', 'content-length': '2048' }
		});
		await expect(readLimitedForm(request, 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
		expect(request.bodyUsed).toBe(false);
	});

	it('reads a form under the limit, and calls a malformed one unreadable', async () => {
		const form = new FormData();
		form.set('alt', 'My dog');
		const ok = await readLimitedForm(
			new Request('http://localhost/', { method: 'POST', body: form }),
			4096
		);
		expect(ok.get('alt')).toBe('My dog');
		const bad = new Request('http://localhost/', {
			method: 'POST',
			body: 'not multipart at all',
			headers: { 'content-type': 'multipart/form-data; boundary=zzz' }
		});
		await expect(readLimitedForm(bad, 4096)).rejects.toBeInstanceOf(UnreadableFormError);
	});
});
