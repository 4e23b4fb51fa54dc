import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/** Bank holidays in England and Wales, 2025–2028, as published by GOV.UK. */
const GOV_UK_BANK_HOLIDAYS = [
	'2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26',
	'2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
	'2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
	'2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26'
]; // prettier-ignore

/**
 * What the usual rules give for years after the table: New Year's Day, Good Friday, Easter
 * Monday, early May, spring and summer bank holidays, Christmas and Boxing Day (2029: New Year
 * on a Monday; Christmas on a Tuesday, Boxing Day on a Wednesday).
 */
const BY_THE_RULES = [
	'2029-01-01', '2029-03-30', '2029-04-02', '2029-05-07', '2029-05-28', '2029-08-27', '2029-12-25', '2029-12-26',
	'2030-01-01', '2030-04-19', '2030-04-22', '2030-05-06', '2030-05-27', '2030-08-26', '2030-12-25', '2030-12-26',
	'2031-01-01', '2031-04-11', '2031-04-14', '2031-05-05', '2031-05-26', '2031-08-25', '2031-12-25', '2031-12-26'
]; // prettier-ignore

// Issue 15: one SQL calendar computes every clock (help-now and advocacy). These run the real
// functions in the real database. Times are written in UK time and compared as UTC instants.
const admin = new pg.Pool({ connectionString: inject('adminDatabaseUrl'), max: 2 });
let org: string;
let sevenDays: string;

async function one<T>(text: string, values: unknown[]): Promise<T> {
	const { rows } = await admin.query<{ v: T }>(text, values);
	return rows[0]!.v;
}

/** `start` (UK local time) plus `hours` working hours of `organisation`, as UK local time. */
function addHours(organisation: string, start: string, hours: number): Promise<string> {
	return one<string>(
		`select to_char(private.add_working_time($1, $2::timestamp at time zone 'Europe/London',
		   make_interval(hours => $3)) at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI') as v`,
		[organisation, start, hours]
	);
}

function workingDays(organisation: string, start: string, days: number): Promise<string> {
	return one<string>(
		`select to_char(private.working_days_deadline($1, $2::timestamp at time zone 'Europe/London',
		   $3) at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI') as v`,
		[organisation, start, days]
	);
}

beforeAll(async () => {
	org = await one<string>(
		`insert into public.organisations (name, kind) values ('Calendar LA', 'local_authority')
		 returning id as v`,
		[]
	);
	sevenDays = await one<string>(
		`insert into public.organisations (name, kind) values ('Seven-day team', 'local_authority')
		 returning id as v`,
		[]
	);
	await admin.query(
		`insert into public.help_settings (organisation_id, work_days, day_starts, day_ends)
		 values ($1, '{1,2,3,4,5,6,7}', '08:00', '20:00')`,
		[sevenDays]
	);
});

afterAll(async () => {
	await admin.end();
});

describe('the working calendar (Mon–Fri 09:00–17:00 Europe/London by default)', () => {
	it('adds 4 working hours inside one working day', async () => {
		expect(await addHours(org, '2026-12-02 10:15', 4)).toBe('2026-12-02 14:15');
	});

	it('carries what is left past 17:00 into the next working morning', async () => {
		expect(await addHours(org, '2026-12-02 15:00', 4)).toBe('2026-12-03 11:00');
	});

	it('counts 4 working hours across a weekend: Friday 15:00 → Monday 11:00', async () => {
		expect(await addHours(org, '2026-11-27 15:00', 4)).toBe('2026-11-30 11:00');
	});

	it('starts an out-of-hours clock at the next opening (Saturday night → Monday 13:00)', async () => {
		expect(await addHours(org, '2026-11-28 23:30', 4)).toBe('2026-11-30 13:00');
		expect(await addHours(org, '2026-12-01 06:00', 4)).toBe('2026-12-01 13:00');
		expect(await addHours(org, '2026-12-01 19:00', 4)).toBe('2026-12-02 13:00');
	});

	it('skips bank holidays: Christmas Eve 2026 afternoon → Tuesday 29 December', async () => {
		// 25 Dec (Friday) and 28 Dec (Monday, Boxing Day's substitute) are bank holidays.
		expect(await addHours(org, '2026-12-24 15:00', 4)).toBe('2026-12-29 11:00');
		// Good Friday and Easter Monday 2026.
		expect(await addHours(org, '2026-04-02 16:00', 4)).toBe('2026-04-07 12:00');
	});

	it('follows the clock change (British Summer Time starts 29 March 2026)', async () => {
		expect(await addHours(org, '2026-03-27 16:00', 4)).toBe('2026-03-30 12:00');
		const utc = await one<string>(
			`select to_char(private.add_working_time($1, '2026-03-27 16:00+00', '4 hours')
			   at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as v`,
			[org]
		);
		// Monday 12:00 BST is 11:00 UTC.
		expect(utc).toBe('2026-03-30 11:00');
	});

	it('knows working time from out of hours, weekends and bank holidays', async () => {
		const at = (t: string) =>
			one<boolean>(
				`select private.is_working_time($1, $2::timestamp at time zone 'Europe/London') as v`,
				[org, t]
			);
		expect(await at('2026-12-02 09:00')).toBe(true);
		expect(await at('2026-12-02 16:59')).toBe(true);
		expect(await at('2026-12-02 17:00')).toBe(false);
		expect(await at('2026-12-02 08:59')).toBe(false);
		expect(await at('2026-12-05 11:00')).toBe(false); // Saturday
		expect(await at('2026-12-25 11:00')).toBe(false); // Christmas Day (Friday)
		expect(await at('2026-12-28 11:00')).toBe(false); // substitute Boxing Day
	});

	it('uses an organisation’s own working week when its admin set one', async () => {
		expect(await addHours(sevenDays, '2026-11-28 19:00', 4)).toBe('2026-11-29 11:00');
		// Bank holidays are still not working time.
		expect(await addHours(sevenDays, '2026-12-24 19:00', 4)).toBe('2026-12-26 11:00');
	});

	it('ends working-day clocks at midnight after the Nth working day', async () => {
		expect(await workingDays(org, '2026-11-27 15:00', 1)).toBe('2026-12-01 00:00');
		expect(await workingDays(org, '2026-11-28 10:00', 1)).toBe('2026-12-01 00:00');
		expect(await workingDays(org, '2026-12-24 10:00', 2)).toBe('2026-12-31 00:00');
	});

	it('has the same bank holidays as GOV.UK’s table, and its rules for other years', async () => {
		const inSql = await one<string[]>(
			`select array_agg(to_char(d, 'YYYY-MM-DD') order by d) as v
			 from generate_series('2025-01-01'::date, '2031-12-31'::date, '1 day') d
			 where private.is_bank_holiday(d::date)`,
			[]
		);
		expect(inSql).toEqual([...GOV_UK_BANK_HOLIDAYS, ...BY_THE_RULES]);
		// The rules reproduce the published table too (a check on the SQL rules themselves).
		for (const y of [2025, 2026, 2027, 2028]) {
			const rules = await one<string[]>(
				`select array_agg(to_char(d, 'YYYY-MM-DD') order by d) as v
				 from private.rule_bank_holidays($1) d`,
				[y]
			);
			expect(rules).toEqual(GOV_UK_BANK_HOLIDAYS.filter((d) => d.startsWith(`${y}`)));
		}
	});

	it('finds Easter', async () => {
		const easter = (y: number) =>
			one<string>(`select to_char(private.easter_sunday($1), 'YYYY-MM-DD') as v`, [y]);
		expect(await easter(2026)).toBe('2026-04-05');
		expect(await easter(2027)).toBe('2027-03-28');
	});

	it('uses the rules outside the table, with substitute days', async () => {
		expect(await one<boolean>(`select private.is_working_day(null, '2029-01-01') as v`, [])).toBe(
			false
		);
	});
});

describe('statutory deadlines (a plan’s first review) come from the same calendar', () => {
	/** The last day of `days` working days from `start` (an instant), Monday to Friday. */
	function lastDay(start: string, days: number): Promise<string> {
		return one<string>(
			`select to_char(private.statutory_working_days_after($1::timestamptz, $2), 'YYYY-MM-DD') as v`,
			[start, days]
		);
	}

	it('puts the first review 20 working days after the start', async () => {
		// Mon 23 Nov 2026: 20 working days later is Mon 21 Dec.
		expect(await lastDay('2026-11-23T10:00:00Z', 20)).toBe('2026-12-21');
	});

	it('skips weekends and bank holidays (Christmas, Boxing Day substitute, New Year)', async () => {
		// Mon 14 Dec 2026: 25 and 28 Dec and 1 Jan are bank holidays, so Thu 14 Jan 2027.
		expect(await lastDay('2026-12-14T09:00:00Z', 20)).toBe('2027-01-14');
	});

	it('counts from the UK date of the start, not the UTC one', async () => {
		// 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
		expect(await lastDay('2026-06-30T23:30:00Z', 20)).toBe(
			await lastDay('2026-07-01T09:00:00Z', 20)
		);
	});
});

describe('advocacy clocks come from the same calendar', () => {
	async function due(created: string, urgency: string) {
		const { rows } = await admin.query<{ respond: string; allocate: string }>(
			`select to_char(c.respond_due at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI') as respond,
			   to_char(c.allocate_due at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI') as allocate
			 from private.advocacy_clock_due($1, $2::timestamp at time zone 'Europe/London', $3) c`,
			[org, created, urgency]
		);
		return rows[0]!;
	}

	it('"Urgent: today" must be answered within 4 working hours', async () => {
		expect(await due('2026-12-02 10:00', 'today')).toEqual({
			respond: '2026-12-02 14:00',
			allocate: '2026-12-05 00:00'
		});
		expect(await due('2026-11-27 16:00', 'today')).toEqual({
			respond: '2026-11-30 12:00',
			allocate: '2026-12-02 00:00'
		});
	});

	it('anything else within 1 working day, allocated within 2', async () => {
		expect(await due('2026-12-02 10:00', 'this_week')).toEqual({
			respond: '2026-12-04 00:00',
			allocate: '2026-12-05 00:00'
		});
	});
});
