import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	COLLAB_PROTOCOL,
	encodeRefresh,
	isSyncStep2,
	CLOSE_MOVED,
	CLOSE_OWN_WORDS,
	CLOSE_RESEND,
	isUpdateBearing,
	MESSAGE_OWN_WORDS,
	PROMPT_REFUSED,
	MESSAGE_SAVED,
	MESSAGE_OWN_RUNS,
	readOwnRuns,
	readOwnWords
} from './protocol';
import { Ownership } from './own-words';

export interface TicketResponse {
	ticket: string;
	url: string;
	access: 'edit' | 'comment' | 'view';
	sessionExp: number;
	name: string;
	colour: string;
}

/** What the page says about saving; each state is shown only when it is true. */
export type SaveState =
	'connecting' | 'saved' | 'saving' | 'offline' | 'offline-unsaved' | 'closed';

export interface Peer {
	clientId: number;
	name: string;
	colour: string;
}

/** The ticket endpoint said no: signed out (401) or no access any more (404/403). */
export class TicketRefusedError extends Error {
	constructor(readonly status: number) {
		super(`ticket refused (${status})`);
		this.name = 'TicketRefusedError';
	}
}

/**
 * Why the editor closed for good. The page says it in the reader's language: the collab server
 * speaks no language (its close reasons are English, for logs), so only the close code counts.
 */
export type ClosedReason =
	| 'own-words'
	| 'prompt'
	| 'session-ended'
	| 'access-removed'
	/** They may still read (or comment), but edits the server had not saved never will be. */
	| 'edit-access-removed';

/**
 * 4409 is said for both kinds of refused edit; the server's reason text tells them apart (a
 * constant both sides share in protocol.ts, never shown).
 */
export function refusedReason(reason: string | undefined): ClosedReason {
	return reason === PROMPT_REFUSED ? 'prompt' : 'own-words';
}

/**
 * One person's live connection to one document. Tracks, truthfully, whether every local edit has
 * been saved: the server acknowledges update-bearing messages only after they are committed to
 * the database, and we know which local edits each message covered. Unsaved edits stay in the
 * in-memory Y.Doc (never browser storage) and reach the server again through the sync protocol
 * when the connection comes back.
 */
export class CollabSession {
	status = $state<SaveState>('connecting');
	closedReason = $state<ClosedReason | null>(null);
	peers = $state<Peer[]>([]);
	access = $state<'edit' | 'comment' | 'view'>('view');
	/**
	 * Which characters the server says are the young person's (their clients, and runs of words
	 * someone moved). Not reactive: it changes before the updates it describes arrive, and
	 * `onOwnWords` tells the editor to redraw.
	 */
	ownWords = new Ownership();
	/** Called when `ownWords` changes, so the editor can redraw its marks at once. */
	onOwnWords: (() => void) | null = null;

	readonly doc = new Y.Doc();
	provider: WebsocketProvider | null = null;

	#localSeq = 0;
	#savedSeq = 0;
	/** For each update-bearing message sent on the current connection: the local edits it covers. */
	#covered: number[] = [];
	#step2Sent = false;
	#connected = false;
	#refreshTimer: ReturnType<typeof setTimeout> | undefined;
	#reconnectTimer: ReturnType<typeof setTimeout> | undefined;
	#attempts = 0;
	#destroyed = false;

	constructor(
		private readonly fetchTicket: () => Promise<TicketResponse>,
		private readonly documentId: string
	) {
		// Registered before the provider's own handler, so the count already includes an edit
		// when the provider sends it.
		this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			// A reader's editor can still change its own copy (Tiptap adding a trailing paragraph,
			// say); the server drops such changes and never acknowledges them, so they are not the
			// person's unsaved edits.
			if (origin !== this.provider && this.access === 'edit') {
				this.#localSeq += 1;
				this.#updateStatus();
			}
		});
	}

	get hasUnsavedChanges(): boolean {
		return this.#localSeq > this.#savedSeq;
	}

	async start(): Promise<TicketResponse> {
		const first = await this.fetchTicket();
		// Destroyed while the ticket was on its way (the page was left): connect nothing.
		if (this.#destroyed) return first;
		this.access = first.access;
		const onSend = (bytes: Uint8Array) => this.#onSend(bytes);
		// A WebSocket that tells the session what it sends, so acknowledgements can be matched.
		class CountingWebSocket extends WebSocket {
			send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
				if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
					onSend(data instanceof Uint8Array ? data : new Uint8Array(data));
				}
				super.send(data);
			}
		}
		const provider = new WebsocketProvider(first.url, this.documentId, this.doc, {
			connect: false,
			disableBc: true,
			protocols: [COLLAB_PROTOCOL, first.ticket],
			WebSocketPolyfill: CountingWebSocket,
			// We reconnect ourselves, with a fresh ticket each time.
			shouldReconnect: () => false
		});
		this.provider = provider;
		provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
			this.#onSaved(decoding.readVarUint(decoder));
		};
		provider.messageHandlers[MESSAGE_OWN_WORDS] = (_encoder, decoder) => {
			const clients = readOwnWords(decoder);
			this.ownWords.clients.clear();
			for (const client of clients) this.ownWords.clients.add(client);
			this.onOwnWords?.();
		};
		provider.messageHandlers[MESSAGE_OWN_RUNS] = (_encoder, decoder) => {
			const { replace, runs } = readOwnRuns(decoder);
			if (replace) this.ownWords = new Ownership(this.ownWords.clients, runs);
			else for (const run of runs) this.ownWords.addRun(run);
			this.onOwnWords?.();
		};
		provider.awareness.setLocalStateField('user', { name: first.name, colour: first.colour });
		provider.awareness.on('change', () => this.#updatePeers());
		// Back-off resets only once a connection has really worked, not when it merely opened.
		provider.on('sync', (synced: boolean) => {
			if (synced) this.#onSynced();
			this.#updateStatus();
		});
		provider.on('status', ({ status }) => {
			if (status === 'connected') {
				this.#connected = true;
				this.#covered = [];
				this.#step2Sent = false;
			}
			this.#updateStatus();
		});
		provider.on('connection-close', (event) => {
			this.#connected = false;
			if (event?.code === CLOSE_OWN_WORDS) {
				// Reconnecting would send the same refused edit again: stop, and say why (not with
				// #close, whose disconnect() would re-enter this handler; see below).
				provider.shouldConnect = false;
				this.closedReason = refusedReason(event.reason);
				clearTimeout(this.#refreshTimer);
				this.#updateStatus();
				return;
			}
			this.#updateStatus();
			// Whatever the reason (session ended 4401, access removed or changed 4403, server
			// restarting), ask the app for a new ticket: it refuses if the person may no longer
			// open the document, and that refusal is what closes the editor for good. (Not
			// provider.disconnect(): the provider emits this event before letting go of the socket,
			// so disconnecting here re-enters this handler until the stack overflows.)
			provider.shouldConnect = false;
			// 4504: nothing was refused, an edit only waited too long for our resend; 1012: the
			// document moved to another collab node (handover, drain). Reconnecting resends what
			// was not saved, so do it at once rather than after a back-off.
			this.#scheduleReconnect(event?.code === CLOSE_RESEND || event?.code === CLOSE_MOVED);
		});
		this.#scheduleRefresh(first.sessionExp);
		provider.connect();
		return first;
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#refreshTimer);
		clearTimeout(this.#reconnectTimer);
		this.provider?.destroy();
		this.doc.destroy();
	}

	#onSend(message: Uint8Array): void {
		if (!isUpdateBearing(message)) return;
		if (isSyncStep2(message)) this.#step2Sent = true;
		// Until our sync step 2 has gone, edits made while offline are not yet on their way.
		const previous = this.#covered.at(-1) ?? this.#savedSeq;
		this.#covered.push(this.#step2Sent ? this.#localSeq : previous);
		this.#updateStatus();
	}

	#onSaved(count: number): void {
		const covered = this.#covered[count - 1];
		if (covered !== undefined && covered > this.#savedSeq) this.#savedSeq = covered;
		this.#updateStatus();
	}

	#updateStatus(): void {
		if (this.closedReason) {
			this.status = 'closed';
		} else if (!this.#connected) {
			this.status = this.hasUnsavedChanges ? 'offline-unsaved' : 'offline';
		} else if (!this.provider?.synced && !this.hasUnsavedChanges) {
			this.status = 'connecting';
		} else {
			this.status = this.hasUnsavedChanges ? 'saving' : 'saved';
		}
	}

	#onSynced(): void {
		this.#attempts = 0;
	}

	#updatePeers(): void {
		const peers: Peer[] = [];
		for (const [clientId, state] of this.provider?.awareness.getStates() ?? []) {
			const user = (state as { user?: { name?: unknown; colour?: unknown } }).user;
			if (typeof user?.name === 'string' && typeof user.colour === 'string') {
				peers.push({ clientId, name: user.name, colour: user.colour });
			}
		}
		this.peers = peers;
	}

	#close(reason: ClosedReason): void {
		this.closedReason = reason;
		this.provider?.disconnect();
		clearTimeout(this.#refreshTimer);
		this.#updateStatus();
	}

	#scheduleReconnect(atOnce = false): void {
		if (this.#destroyed || this.closedReason) return;
		this.#attempts += 1;
		// At once only as the first attempt since a connection worked: a server that keeps
		// closing before anything syncs is still backed off.
		const delay =
			atOnce && this.#attempts === 1 ? 0 : Math.min(10_000, 250 * 2 ** Math.min(this.#attempts, 6));
		this.#reconnectTimer = setTimeout(() => void this.#reconnect(), delay);
	}

	async #reconnect(): Promise<void> {
		const provider = this.provider;
		if (!provider || this.#destroyed) return;
		try {
			const ticket = await this.fetchTicket();
			if (!this.#accept(ticket)) return;
			provider.protocols = [COLLAB_PROTOCOL, ticket.ticket];
			this.#scheduleRefresh(ticket.sessionExp);
			provider.connect();
		} catch (error) {
			if (error instanceof TicketRefusedError) {
				this.#close(error.status === 401 ? 'session-ended' : 'access-removed');
				return;
			}
			// Offline or the app is unreachable: keep the edits in memory and try again.
			this.#scheduleReconnect();
		}
	}

	/**
	 * Takes a fresh ticket's access; false if the session should not go on with it: left, or
	 * closed for good, while the ticket was on its way; or their access is now less than edit with
	 * edits the server has not acknowledged (it would take them back from a reader and never save
	 * them, so the page would say "Saving…" for ever: closed instead, saying so).
	 */
	#accept(ticket: TicketResponse): boolean {
		if (this.#destroyed || this.closedReason) return false;
		this.access = ticket.access;
		if (ticket.access === 'edit' || !this.hasUnsavedChanges) return true;
		this.#close('edit-access-removed');
		return false;
	}

	/** Shortly before the session ends, send a fresh ticket on the open connection. */
	#scheduleRefresh(sessionExp: number): void {
		clearTimeout(this.#refreshTimer);
		const inMs = sessionExp * 1000 - Date.now() - 60_000;
		this.#refreshTimer = setTimeout(() => void this.#refresh(), Math.max(5_000, inMs));
	}

	async #refresh(): Promise<void> {
		if (this.#destroyed || this.closedReason) return;
		try {
			const ticket = await this.fetchTicket();
			if (!this.#accept(ticket)) return;
			const ws = this.provider?.ws;
			if (ws && ws.readyState === WebSocket.OPEN) ws.send(encodeRefresh(ticket.ticket));
			if (this.provider) this.provider.protocols = [COLLAB_PROTOCOL, ticket.ticket];
			this.#scheduleRefresh(ticket.sessionExp);
		} catch (error) {
			if (error instanceof TicketRefusedError) {
				this.#close(error.status === 401 ? 'session-ended' : 'access-removed');
				return;
			}
			this.#refreshTimer = setTimeout(() => void this.#refresh(), 10_000);
		}
	}
}

/** Fetches a ticket from the app for one document. */
export function ticketFetcher(documentId: string): () => Promise<TicketResponse> {
	return async () => {
		const res = await fetch(`/documents/${documentId}/ticket`, {
			method: 'POST',
			headers: { accept: 'application/json' }
		});
		if (res.status === 401 || res.status === 403 || res.status === 404) {
			throw new TicketRefusedError(res.status);
		}
		if (!res.ok) throw new Error(`ticket request failed: ${res.status}`);
		return (await res.json()) as TicketResponse;
	};
}
