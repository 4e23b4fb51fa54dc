-- Reading settings (rls_reading_settings.test.sql): after tests.create_cast(),
-- `select tests.create_reading_cast();` adds these rows (keyed by person_id):
--   reading:yp      yp's reading settings (large text, the easy-to-read font)
--   reading:sw      sw's reading settings (high contrast)
--   reading:family  family's reading settings (read-aloud)
-- yp2 has chosen nothing yet (no row).

create function tests.create_reading_cast()
returns void language plpgsql security definer set search_path = ''
as $$
begin
  perform tests._not_acting('create_reading_cast');
  insert into public.reading_settings (person_id, text_size, readable_font)
  values (tests.id('yp'), 'large', true);
  insert into public.reading_settings (person_id, high_contrast) values (tests.id('sw'), true);
  insert into public.reading_settings (person_id, read_aloud) values (tests.id('family'), true);
  perform tests._register_keyed('reading:yp', 'reading_settings', 'person_id', tests.id('yp')::text);
  perform tests._register_keyed('reading:sw', 'reading_settings', 'person_id', tests.id('sw')::text);
  perform tests._register_keyed('reading:family', 'reading_settings', 'person_id',
    tests.id('family')::text);
end;
$$;
