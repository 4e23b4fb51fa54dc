-- Every foreign key has an index that starts with its columns (security checklist): without one,
-- deleting or changing a referenced row scans the whole referencing table under a lock, and
-- policies that join along the key read every row.

select tests.expect_empty('foreign keys without an index that starts with their columns', $$
  select c.conrelid::regclass as "table", c.conname as "constraint"
  from pg_catalog.pg_constraint c
  join pg_catalog.pg_namespace n on n.oid = c.connamespace
  where c.contype = 'f' and n.nspname in ('public', 'private')
    and not exists (
      select from pg_catalog.pg_index i
      where i.indrelid = c.conrelid
        and (select array_agg(k order by k) from unnest(
              (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)]) k)
          = (select array_agg(k order by k) from unnest(c.conkey) k)
    )
  order by 1, 2
$$);
