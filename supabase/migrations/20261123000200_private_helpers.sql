-- Helpers shared by several domains. They live in `private`, which PostgREST does not expose, and only
-- the owning role may run them unless *_grants.sql says otherwise (the few that SECURITY INVOKER learner
-- functions call are granted to `authenticated`; docs/database.md lists each one and why).

-- Raises an application error: SQLSTATE P0001, message = the error code the app maps to an HTTP status.
create function private.raise_app(p_code text, p_detail text) returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = p_code, detail = p_detail;
end
$$;

-- The signed-in user's id, or `forbidden` when there is none.
create function private.require_uid() returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v uuid := auth.uid();
begin
  if v is null then
    raise exception using errcode = 'P0001', message = 'forbidden', detail = 'No signed-in user.';
  end if;
  return v;
end
$$;

-- Timestamps as the app sends them: UTC ISO 8601 with milliseconds.
create function private.iso(p_ts timestamptz) returns text
language sql stable
set search_path = ''
as $$
  select to_char(p_ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- Lower-case, punctuation stripped, whitespace collapsed: the dedup key for titles.
create function private.normalize_title(p_title text) returns text
language sql immutable
set search_path = ''
as $$
  select btrim(regexp_replace(regexp_replace(lower(coalesce(p_title, '')), '[[:punct:]]+', '', 'g'), '\s+', ' ', 'g'))
$$;

-- A lesson as every function returns it (lib/lessons/types.ts LessonRecord).
create function private.lesson_json(l public.lessons, t public.topics, s public.subjects) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', l.id, 'topicId', l.topic_id, 'topicSlug', t.slug, 'topicName', t.name,
    'subjectSlug', s.slug, 'subjectName', s.name, 'difficulty', l.difficulty, 'title', l.title,
    'content', l.content, 'source', l.source, 'model', l.model,
    'createdAt', private.iso(l.created_at))
$$;

-- The values a value-list domain (public.lesson_difficulty, public.usage_feature, …) allows, in the order
-- its CHECK lists them, read from the catalogue so a function never repeats the list.
create function private.domain_values(p_domain regtype) returns text[]
language sql stable
set search_path = ''
as $$
  select coalesce(array_agg(replace(m.v[1], '''''', '''') order by m.ord), '{}')
    from pg_catalog.pg_constraint c
    cross join lateral regexp_matches(pg_get_constraintdef(c.oid), '''((?:[^'']|'''')*)''', 'g')
         with ordinality as m(v, ord)
   where c.contypid = p_domain and c.contype = 'c'
$$;

-- Is the caller an admin? Definer, so it reads the profile whatever the caller's table rights.
create function private.is_admin() returns boolean
language sql stable
security definer
set search_path = ''
as $$
  select coalesce((select p.role = 'admin' from public.profiles p where p.id = auth.uid()), false)
$$;
