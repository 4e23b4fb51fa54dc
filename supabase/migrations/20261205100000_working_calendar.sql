-- One working calendar for every clock (issue 15): the "I need help now" clock (4 working hours),
-- the advocacy clocks (1 and 2 working days; 4 working hours for "Urgent: today") and a plan's
-- first review (20 working days), which were worked out in TypeScript before. Clocks are computed
-- here so that every node, and every policy, agrees on when something is late: nothing has to run
-- in the background to make it so.
--
-- Working time is per organisation (public.help_settings, set by its admins): the days of the
-- week and the hours, by default Monday to Friday 09:00–17:00, always in Europe/London time and
-- never on an England and Wales bank holiday.

-- Bank holidays ---------------------------------------------------------------------------------
-- As published by GOV.UK for the years the table covers; other years follow the usual rules
-- (private.rule_bank_holidays). One-off days (a coronation, a jubilee) go into the table.
create table private.bank_holidays (day date primary key);
insert into private.bank_holidays (day) values
  ('2025-01-01'), ('2025-04-18'), ('2025-04-21'), ('2025-05-05'), ('2025-05-26'), ('2025-08-25'),
  ('2025-12-25'), ('2025-12-26'),
  ('2026-01-01'), ('2026-04-03'), ('2026-04-06'), ('2026-05-04'), ('2026-05-25'), ('2026-08-31'),
  ('2026-12-25'), ('2026-12-28'),
  ('2027-01-01'), ('2027-03-26'), ('2027-03-29'), ('2027-05-03'), ('2027-05-31'), ('2027-08-30'),
  ('2027-12-27'), ('2027-12-28'),
  ('2028-01-03'), ('2028-04-14'), ('2028-04-17'), ('2028-05-01'), ('2028-05-29'), ('2028-08-28'),
  ('2028-12-25'), ('2028-12-26');
revoke all on private.bank_holidays from public, anon, authenticated;

/** Easter Sunday (Gregorian; the anonymous algorithm, as in Meeus). */
create function private.easter_sunday(y int)
returns date language plpgsql immutable set search_path = ''
as $$
declare
  a int := y % 19; b int := y / 100; c int := y % 100; d int; e int; f int; g int; h int;
  i int; k int; l int; m int;
begin
  d := b / 4; e := b % 4; f := (b + 8) / 25; g := (b - f + 1) / 3;
  h := (19 * a + b - d - g + 15) % 30; i := c / 4; k := c % 4;
  l := (32 + 2 * e + 2 * i - h - k) % 7; m := (a + 11 * h + 22 * l) / 451;
  return make_date(y, (h + l - 7 * m + 114) / 31, ((h + l - 7 * m + 114) % 31) + 1);
end;
$$;

/**
 * The usual England and Wales bank holidays of a year: New Year's Day, Good Friday, Easter
 * Monday, early May, spring and summer bank holidays, Christmas and Boxing Day, with substitute
 * days when those fall at a weekend.
 */
create function private.rule_bank_holidays(y int)
returns setof date language sql immutable set search_path = ''
as $$
  with e as (select private.easter_sunday(y) as easter),
  fixed as (
    select make_date(y, 1, 1) as new_year, make_date(y, 12, 25) as christmas,
      make_date(y, 5, 1) as may1, make_date(y, 5, 31) as may31, make_date(y, 8, 31) as aug31
  )
  select e.easter - 2 from e
  union all select e.easter + 1 from e
  -- First Monday in May; last Mondays in May and August.
  union all select f.may1 + ((8 - extract(isodow from f.may1)::int) % 7) from fixed f
  union all select f.may31 - ((extract(isodow from f.may31)::int - 1) % 7) from fixed f
  union all select f.aug31 - ((extract(isodow from f.aug31)::int - 1) % 7) from fixed f
  union all select case extract(isodow from f.new_year)::int
      when 6 then f.new_year + 2 when 7 then f.new_year + 1 else f.new_year end from fixed f
  -- Christmas on Saturday: Mon 27 and Tue 28. On Sunday: Mon 26 and Tue 27. On Friday: Boxing
  -- Day (Saturday) moves to Mon 28.
  union all select unnest(case extract(isodow from f.christmas)::int
      when 6 then array[f.christmas + 2, f.christmas + 3]
      when 7 then array[f.christmas + 1, f.christmas + 2]
      when 5 then array[f.christmas, f.christmas + 3]
      else array[f.christmas, f.christmas + 1] end) from fixed f
$$;

/** Is `d` a bank holiday in England and Wales? The table wins for the years it covers. */
create function private.is_bank_holiday(d date)
returns boolean language sql stable security definer set search_path = ''
as $$
  select case
    when extract(year from d) between 2025 and 2028
      then exists (select 1 from private.bank_holidays b where b.day = d)
    else d in (select private.rule_bank_holidays(extract(year from d)::int))
  end
$$;

-- Per-organisation settings ---------------------------------------------------------------------
-- One row per organisation at most; with none, the defaults below apply. Also holds the
-- out-of-hours duty number shown on the help-now page.
create table public.help_settings (
  organisation_id uuid primary key references public.organisations (id) on delete cascade,
  -- Shown as a tel: link: digits, spaces and a leading +, nothing else.
  duty_phone text check (duty_phone ~ '^\+?[0-9][0-9 ]{5,22}$'),
  -- ISO days of the week (1 = Monday … 7 = Sunday).
  work_days smallint[] not null default '{1,2,3,4,5}'
    check (cardinality(work_days) between 1 and 7 and work_days <@ '{1,2,3,4,5,6,7}'),
  day_starts time not null default '09:00',
  day_ends time not null default '17:00',
  updated_by uuid references public.profiles (id) on delete set null,
  updated_at timestamptz not null default now(),
  check (day_starts < day_ends)
);
create index help_settings_updated_by_idx on public.help_settings (updated_by);
alter table public.help_settings enable row level security;

/** The working week of `org`: its settings, or Monday to Friday 09:00–17:00. */
create function private.working_hours_of(
  org uuid, out work_days smallint[], out day_starts time, out day_ends time
)
language sql stable security definer set search_path = ''
as $$
  select coalesce(s.work_days, '{1,2,3,4,5}'), coalesce(s.day_starts, '09:00'),
    coalesce(s.day_ends, '17:00')
  from (select 1) one
  left join public.help_settings s on s.organisation_id = org
$$;

/** Is `d` (a Europe/London date) a working day for `org`? */
create function private.is_working_day(org uuid, d date)
returns boolean language sql stable security definer set search_path = ''
as $$
  select extract(isodow from d)::smallint = any (h.work_days) and not private.is_bank_holiday(d)
  from private.working_hours_of(org) h
$$;

/** Is `at` inside `org`'s working hours? */
create function private.is_working_time(org uuid, at timestamptz)
returns boolean language sql stable security definer set search_path = ''
as $$
  select private.is_working_day(org, (at at time zone 'Europe/London')::date)
    and (at at time zone 'Europe/London')::time >= h.day_starts
    and (at at time zone 'Europe/London')::time < h.day_ends
  from private.working_hours_of(org) h
$$;

/**
 * When `amount` of `org`'s working time, counted from `start`, has passed. Time outside working
 * hours does not count: 4 working hours from Friday 15:00 end on Monday at 11:00.
 */
create function private.add_working_time(org uuid, start timestamptz, amount interval)
returns timestamptz language plpgsql stable security definer set search_path = ''
as $$
declare
  h record;
  d date := (start at time zone 'Europe/London')::date;
  remaining interval := amount;
  opens timestamptz;
  closes timestamptz;
  from_ timestamptz;
begin
  select * into h from private.working_hours_of(org);
  -- Two years of days is far more than any clock needs (a week has at least one working day).
  for n in 1..800 loop
    if private.is_working_day(org, d) then
      opens := (d + h.day_starts) at time zone 'Europe/London';
      closes := (d + h.day_ends) at time zone 'Europe/London';
      from_ := greatest(start, opens);
      if from_ < closes then
        if from_ + remaining <= closes then
          return from_ + remaining;
        end if;
        remaining := remaining - (closes - from_);
      end if;
    end if;
    d := d + 1;
  end loop;
  raise exception 'no working time found within 800 days of %', start;
end;
$$;

/** The `days`th working day of `org` after the day `d`. */
create function private.add_working_days(org uuid, d date, days int)
returns date language plpgsql stable security definer set search_path = ''
as $$
declare
  counted int := 0;
begin
  while counted < days loop
    d := d + 1;
    if private.is_working_day(org, d) then
      counted := counted + 1;
    end if;
  end loop;
  return d;
end;
$$;

/**
 * When a clock of `days` working days started at `start` runs out: midnight (UK time) at the end
 * of the `days`th working day after the day it started. A request on Friday afternoon is due by
 * the end of Monday; one on Saturday, also by the end of Monday.
 */
create function private.working_days_deadline(org uuid, start timestamptz, days int)
returns timestamptz language sql stable security definer set search_path = ''
as $$
  select (private.add_working_days(org, (start at time zone 'Europe/London')::date, days) + 1)
    ::timestamp at time zone 'Europe/London'
$$;

/**
 * The last day of a statutory deadline of `days` working days from `start` (a plan's first
 * review: 20 working days, reg 33): the `days`th working day after the UK day it started, in the
 * England and Wales week (Monday to Friday, never a bank holiday), whatever hours an
 * organisation keeps.
 */
create function private.statutory_working_days_after(start timestamptz, days int)
returns date language sql stable security definer set search_path = ''
as $$
  select private.add_working_days(null, (start at time zone 'Europe/London')::date, days)
$$;

/**
 * The advocacy clocks of a request (National Standards): respond within 1 working day, or within
 * 4 working hours when the young person chose "Urgent: today"; allocate within 2 working days.
 * Counted in the advocacy service's own working week.
 */
create function private.advocacy_clock_due(
  service uuid, created timestamptz, urgency text,
  out respond_due timestamptz, out allocate_due timestamptz
)
language sql stable security definer set search_path = ''
as $$
  select
    case when urgency = 'today' then private.add_working_time(service, created, interval '4 hours')
      else private.working_days_deadline(service, created, 1) end,
    private.working_days_deadline(service, created, 2)
$$;

revoke all on function private.easter_sunday(int), private.rule_bank_holidays(int),
  private.is_bank_holiday(date), private.working_hours_of(uuid), private.is_working_day(uuid, date),
  private.is_working_time(uuid, timestamptz), private.add_working_time(uuid, timestamptz, interval),
  private.add_working_days(uuid, date, int), private.working_days_deadline(uuid, timestamptz, int),
  private.statutory_working_days_after(timestamptz, int),
  private.advocacy_clock_due(uuid, timestamptz, text)
  from public;
-- Only the advocacy clocks and the statutory deadlines (review dates) are read by the app
-- directly; the rest serve policies and functions.
grant execute on function private.advocacy_clock_due(uuid, timestamptz, text),
  private.statutory_working_days_after(timestamptz, int) to authenticated;

-- Policies: help_settings -------------------------------------------------------------------------
create policy "members of the organisation read its settings"
  on public.help_settings for select to authenticated
  using (exists (
    select 1 from public.memberships m
    where m.organisation_id = help_settings.organisation_id and m.user_id = (select auth.uid())
  ));
create policy "admins set their organisation's settings"
  on public.help_settings for insert to authenticated
  with check (
    updated_by = (select auth.uid())
    and (select private.has_org_role(organisation_id, array['admin']::public.member_role[]))
  );
create policy "admins change their organisation's settings"
  on public.help_settings for update to authenticated
  using ((select private.has_org_role(organisation_id, array['admin']::public.member_role[])))
  with check (
    updated_by = (select auth.uid())
    and (select private.has_org_role(organisation_id, array['admin']::public.member_role[]))
  );
-- No delete policy: settings are changed, never removed (the defaults would silently return).

revoke all on public.help_settings from anon, authenticated, public;
grant select, insert (organisation_id, duty_phone, work_days, day_starts, day_ends, updated_by),
  update (duty_phone, work_days, day_starts, day_ends, updated_by, updated_at)
  on public.help_settings to authenticated;
