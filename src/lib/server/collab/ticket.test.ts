import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
	signTicket,
	ticketSecret,
	ticketSession,
	TicketError,
	verifyTicket,
	type CollabTicket
} from './ticket';

const secret = ticketSecret('a'.repeat(40));
const ticket: CollabTicket = {
	sub: '00000000-0000-4000-8000-000000000001',
	doc: '00000000-0000-4000-8000-0000000000d1',
	access: 'edit',
	name: 'Sam',
	colour: '#1d4f91',
	sessionExp: 2_000_000_000,
	sessionId: '00000000-0000-4000-8000-0000000000e1'
};

describe('collab tickets', () => {
	it('round-trips what the collab server needs', async () => {
		expect(await verifyTicket(secret, await signTicket(secret, ticket))).toEqual(ticket);
	});

	it('refuses an expired ticket', async () => {
		const old = await signTicket(secret, ticket, Math.floor(Date.now() / 1000) - 3600);
		await expect(verifyTicket(secret, old)).rejects.toBeInstanceOf(TicketError);
	});

	it('refuses a ticket signed with another secret', async () => {
		const forged = await signTicket(ticketSecret('b'.repeat(40)), ticket);
		await expect(verifyTicket(secret, forged)).rejects.toBeInstanceOf(TicketError);
	});

	it('refuses a well-signed token that is not a ticket', async () => {
		const other = await new SignJWT({ sub: 'x' })
			.setProtectedHeader({ alg: 'HS256' })
			.setIssuer('in-my-words-app')
			.setAudience('in-my-words-collab')
			.setExpirationTime('1m')
			.sign(secret);
		await expect(verifyTicket(secret, other)).rejects.toThrow('ticket is missing fields');
	});

	it('refuses a ticket that names no session', async () => {
		const withoutSession: Partial<CollabTicket> = { ...ticket };
		delete withoutSession.sessionId;
		const noSession = await signTicket(secret, withoutSession as CollabTicket);
		await expect(verifyTicket(secret, noSession)).rejects.toThrow('ticket is missing fields');
		const badSession = await signTicket(secret, { ...ticket, sessionId: 'not-a-session' });
		await expect(verifyTicket(secret, badSession)).rejects.toThrow('ticket is missing fields');
	});

	it("takes the session from the access token's claims, and refuses a token without one", () => {
		expect(ticketSession({ exp: 1_900_000_000, session_id: ticket.sessionId })).toEqual({
			sessionExp: 1_900_000_000,
			sessionId: ticket.sessionId
		});
		expect(() => ticketSession({ exp: 1_900_000_000 })).toThrow(TicketError);
	});

	it('refuses garbage and short secrets', async () => {
		await expect(verifyTicket(secret, 'not.a.jwt')).rejects.toBeInstanceOf(TicketError);
		expect(() => ticketSecret('short')).toThrow(TicketError);
	});
});
