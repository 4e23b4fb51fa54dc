/**
 * Reading a big form body (a story photo) without trusting its sender. A body sent in chunks
 * says no length up front, and under `npm run dev` no BODY_SIZE_LIMIT stands in front of the app:
 * so the bytes are counted as they arrive, reading stops at the limit (the rest is never read),
 * and nothing past it is ever buffered.
 */

/** The body went past the limit (by its Content-Length, or while it was being read). */
export class BodyTooLargeError extends Error {
	override name = 'BodyTooLargeError';
}

/** The body could not be read as a form (malformed multipart, wrong content type, cut off). */
export class UnreadableFormError extends Error {
	override name = 'UnreadableFormError';
}

/**
 * The request's form data, read at most `maxBytes` of body. Throws BodyTooLargeError past the
 * limit, however the sender framed the body, and UnreadableFormError for anything else that
 * stops it being read as a form.
 */
export async function readLimitedForm(request: Request, maxBytes: number): Promise<FormData> {
	const declared = request.headers.get('content-length');
	if (declared !== null && Number(declared) > maxBytes) {
		throw new BodyTooLargeError(`Content-Length ${declared} is over ${maxBytes}`);
	}
	let seen = 0;
	let exceeded = false;
	// Erroring the transform cancels the request's own stream: no more is read from the socket.
	const body = request.body?.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				seen += chunk.byteLength;
				if (seen > maxBytes) {
					exceeded = true;
					controller.error(new BodyTooLargeError(`more than ${maxBytes} bytes arrived`));
					return;
				}
				controller.enqueue(chunk);
			}
		})
	);
	try {
		return await new Response(body ?? null, {
			headers: { 'content-type': request.headers.get('content-type') ?? '' }
		}).formData();
	} catch (error) {
		if (exceeded) throw new BodyTooLargeError(`more than ${maxBytes} bytes arrived`);
		throw new UnreadableFormError('the body could not be read as a form', { cause: error });
	}
}
