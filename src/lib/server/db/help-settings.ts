import { sql } from 'kysely';
import type { Tx } from './index';
import type { MemberRole } from './schema';

/** An organisation's working week and duty number (the defaults when its admin set none). */
export interface HelpSettings {
	duty_phone: string | null;
	/** ISO days, 1 = Monday … 7 = Sunday. */
	work_days: number[];
	/** "09:00". */
	day_starts: string;
	day_ends: string;
}

export const DEFAULT_HELP_SETTINGS: HelpSettings = {
	duty_phone: null,
	work_days: [1, 2, 3, 4, 5],
	day_starts: '09:00',
	day_ends: '17:00'
};

/** The settings of `organisationId` as its members may read them (RLS), or the defaults. */
export async function helpSettings(tx: Tx, organisationId: string): Promise<HelpSettings> {
	const { rows } = await sql<HelpSettings>`
		select duty_phone, work_days, to_char(day_starts, 'HH24:MI') as day_starts,
			to_char(day_ends, 'HH24:MI') as day_ends
		from public.help_settings where organisation_id = ${organisationId}`.execute(tx);
	return rows[0] ?? DEFAULT_HELP_SETTINGS;
}

/** Saves an admin's settings (RLS: admins of that organisation only). */
export async function saveHelpSettings(
	tx: Tx,
	organisationId: string,
	userId: string,
	s: HelpSettings
): Promise<void> {
	await sql`
		insert into public.help_settings
			(organisation_id, duty_phone, work_days, day_starts, day_ends, updated_by)
		values (${organisationId}, ${s.duty_phone}, ${s.work_days}::smallint[], ${s.day_starts}::time,
			${s.day_ends}::time, ${userId})
		on conflict (organisation_id) do update set duty_phone = excluded.duty_phone,
			work_days = excluded.work_days, day_starts = excluded.day_starts,
			day_ends = excluded.day_ends, updated_by = excluded.updated_by, updated_at = now()`.execute(tx);
}

export interface Practitioner {
	membership_id: string;
	preferred_name: string;
	role: MemberRole;
	on_duty: boolean;
	team_manager: boolean;
}

/** The organisation's social workers and personal advisers, with their duty and manager flags. */
export async function practitionersOf(tx: Tx, organisationId: string): Promise<Practitioner[]> {
	const { rows } = await sql<Practitioner>`
		select m.id as membership_id, p.preferred_name, m.role, m.on_duty, m.team_manager
		from public.memberships m join public.profiles p on p.id = m.user_id
		where m.organisation_id = ${organisationId}
			and m.role in ('social_worker', 'personal_adviser')
		order by p.preferred_name, m.id`.execute(tx);
	return rows;
}

/**
 * Sets one practitioner's flags (RLS: an admin of the organisation, never on themselves). Only a
 * social worker's or personal adviser's membership holds them (the database checks it too), so
 * any other changes nothing rather than failing the check. Returns how many changed (0 or 1).
 */
export async function setHelpFlags(
	tx: Tx,
	membershipId: string,
	flags: { on_duty: boolean; team_manager: boolean }
): Promise<number> {
	const result = await sql`
		update public.memberships set on_duty = ${flags.on_duty}, team_manager = ${flags.team_manager}
		where id = ${membershipId} and role in ('social_worker', 'personal_adviser')`.execute(tx);
	return Number(result.numAffectedRows ?? 0);
}
