-- Learner functions (docs/database.md): granted to `authenticated`, act on auth.uid() only.
-- SECURITY INVOKER wherever possible, so row-level security is the guard, not the function body.

-- ---- shared shapes ---------------------------------------------------------------------------------

-- A lesson as every function returns it (lib/lessons/types.ts LessonRecord).
create function public.lesson_json(l public.lessons, t public.topics, s public.subjects) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', l.id, 'topicId', l.topic_id, 'topicSlug', t.slug, 'topicName', t.name,
    'subjectSlug', s.slug, 'subjectName', s.name, 'difficulty', l.difficulty, 'title', l.title,
    'content', l.content, 'source', l.source, 'model', l.model,
    'createdAt', to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
$$;

-- Lower-case, punctuation stripped, whitespace collapsed: the dedup key for titles.
create function public.normalize_title(p_title text) returns text
language sql immutable
set search_path = ''
as $$
  select btrim(regexp_replace(regexp_replace(lower(coalesce(p_title, '')), '[[:punct:]]+', '', 'g'), '\s+', ' ', 'g'))
$$;

create function public.iso(p_ts timestamptz) returns text
language sql stable
set search_path = ''
as $$
  select to_char(p_ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

create function public.raise_app(p_code text, p_detail text) returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = p_code, detail = p_detail;
end
$$;

create function public.require_uid() returns uuid
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

-- Playlist summary as the caller may see it (RLS applies: someone else's playlist is null).
create function public.playlist_summary(p_playlist_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p.id, 'title', p.title, 'description', p.description,
    'lessonCount', (select count(*) from public.playlist_lessons pl where pl.playlist_id = p.id),
    'topicName', (select t.name from public.playlist_lessons pl
                    join public.lessons l on l.id = pl.lesson_id
                    join public.topics t on t.id = l.topic_id
                   where pl.playlist_id = p.id order by pl.position, pl.added_at limit 1),
    'createdAt', public.iso(p.created_at), 'updatedAt', public.iso(p.updated_at))
  from public.playlists p where p.id = p_playlist_id
$$;

create function public.require_own_playlist(p_playlist_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if p_playlist_id is null or not exists (
    select 1 from public.playlists p where p.id = p_playlist_id and p.user_id = auth.uid()) then
    raise exception using errcode = 'P0001', message = 'not_found', detail = 'Playlist not found.';
  end if;
end
$$;

-- ---- me and the catalogue --------------------------------------------------------------------------

create function public.me() returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', p.id, 'email', p.email, 'displayName', p.display_name,
                            'tier', p.tier, 'role', p.role, 'isAdmin', p.role = 'admin')
  from public.profiles p where p.id = auth.uid()
$$;

create function public.list_catalog() returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('subjects', coalesce(jsonb_agg(sub.j order by sub.position, sub.name), '[]'::jsonb))
  from (
    select s.position, s.name, jsonb_build_object(
      'id', s.id, 'slug', s.slug, 'name', s.name,
      'topics', coalesce((
        select jsonb_agg(jsonb_build_object(
                 'id', t.id, 'slug', t.slug, 'name', t.name,
                 'followed', f.topic_id is not null,
                 'difficulty', f.difficulty,
                 'lessonCount', (select count(*) from public.lessons l where l.topic_id = t.id))
               order by t.position, t.name)
        from public.topics t
        left join public.topic_follows f on f.topic_id = t.id and f.user_id = auth.uid()
        where t.subject_id = s.id), '[]'::jsonb)) as j
    from public.subjects s
  ) sub
$$;

create function public.set_topic_follow(p_topic_id uuid, p_follow boolean, p_difficulty text default 'easy')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_uid uuid := public.require_uid();
  v_difficulty text := coalesce(p_difficulty, 'easy');
begin
  if not exists (select 1 from public.topics t where t.id = p_topic_id) then
    perform public.raise_app('not_found', 'Topic not found.');
  end if;
  if v_difficulty not in ('intro', 'easy', 'medium', 'hard') then
    perform public.raise_app('invalid_request', 'difficulty must be intro, easy, medium or hard.');
  end if;
  if coalesce(p_follow, false) then
    insert into public.topic_follows (user_id, topic_id, difficulty) values (v_uid, p_topic_id, v_difficulty)
    on conflict (user_id, topic_id) do update set difficulty = excluded.difficulty;
    return jsonb_build_object('topicId', p_topic_id, 'followed', true, 'difficulty', v_difficulty);
  end if;
  delete from public.topic_follows f where f.user_id = v_uid and f.topic_id = p_topic_id;
  -- Pending feed items of an unfollowed topic would linger forever; seen ones are history.
  delete from public.feed_items fi where fi.user_id = v_uid and fi.topic_id = p_topic_id and fi.status = 'pending';
  return jsonb_build_object('topicId', p_topic_id, 'followed', false, 'difficulty', null);
end
$$;

-- ---- playlists -----------------------------------------------------------------------------------

create function public.list_playlists() returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('playlists', coalesce(
    jsonb_agg(public.playlist_summary(p.id) order by p.updated_at desc, p.id), '[]'::jsonb))
  from public.playlists p where p.user_id = auth.uid()
$$;

create function public.check_playlist_fields(p_title text, p_description text) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_title is not null and char_length(btrim(p_title)) not between 1 and 80 then
    perform public.raise_app('invalid_request', 'title must be 1–80 characters.');
  end if;
  if p_description is not null and char_length(p_description) > 280 then
    perform public.raise_app('invalid_request', 'description must be at most 280 characters.');
  end if;
end
$$;

create function public.create_playlist(p_title text, p_description text default null) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_uid uuid := public.require_uid();
  v_id uuid;
begin
  if p_title is null then
    perform public.raise_app('invalid_request', 'title is required.');
  end if;
  perform public.check_playlist_fields(p_title, p_description);
  insert into public.playlists (user_id, title, description)
  values (v_uid, btrim(p_title), p_description) returning id into v_id;
  return public.playlist_summary(v_id);
end
$$;

create function public.get_playlist(p_playlist_id uuid) returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  perform public.require_own_playlist(p_playlist_id);
  return public.playlist_summary(p_playlist_id) || jsonb_build_object('lessons', coalesce((
    select jsonb_agg(public.lesson_json(l, t, s) || jsonb_build_object('position', pl.position)
                     order by pl.position, pl.added_at)
    from public.playlist_lessons pl
    join public.lessons l on l.id = pl.lesson_id
    join public.topics t on t.id = l.topic_id
    join public.subjects s on s.id = t.subject_id
    where pl.playlist_id = p_playlist_id), '[]'::jsonb));
end
$$;

create function public.update_playlist(p_playlist_id uuid, p_title text default null, p_description text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  perform public.require_own_playlist(p_playlist_id);
  perform public.check_playlist_fields(p_title, p_description);
  update public.playlists p
     set title = coalesce(btrim(p_title), p.title),
         description = coalesce(p_description, p.description),
         updated_at = now()
   where p.id = p_playlist_id;
  return public.playlist_summary(p_playlist_id);
end
$$;

create function public.delete_playlist(p_playlist_id uuid) returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  perform public.require_own_playlist(p_playlist_id);
  delete from public.playlists p where p.id = p_playlist_id;
  return jsonb_build_object('deleted', true);
end
$$;

create function public.touch_playlist(p_playlist_id uuid) returns void
language sql
set search_path = ''
as $$
  update public.playlists set updated_at = now() where id = p_playlist_id
$$;

create function public.add_playlist_lesson(p_playlist_id uuid, p_lesson_id uuid) returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  perform public.require_own_playlist(p_playlist_id);
  if not exists (select 1 from public.lessons l where l.id = p_lesson_id) then
    perform public.raise_app('not_found', 'Lesson not found.');
  end if;
  insert into public.playlist_lessons (playlist_id, lesson_id, position)
  select p_playlist_id, p_lesson_id,
         coalesce((select max(pl.position) + 1 from public.playlist_lessons pl where pl.playlist_id = p_playlist_id), 0)
  on conflict (playlist_id, lesson_id) do nothing;
  if found then
    perform public.touch_playlist(p_playlist_id);
  end if;
  return public.playlist_summary(p_playlist_id);
end
$$;

create function public.remove_playlist_lesson(p_playlist_id uuid, p_lesson_id uuid) returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  perform public.require_own_playlist(p_playlist_id);
  delete from public.playlist_lessons pl where pl.playlist_id = p_playlist_id and pl.lesson_id = p_lesson_id;
  if not found then
    perform public.raise_app('not_found', 'Lesson is not in this playlist.');
  end if;
  -- Keep positions contiguous (0..n-1).
  update public.playlist_lessons pl set position = r.rn - 1
    from (select x.lesson_id, row_number() over (order by x.position, x.added_at) as rn
            from public.playlist_lessons x where x.playlist_id = p_playlist_id) r
   where pl.playlist_id = p_playlist_id and pl.lesson_id = r.lesson_id and pl.position <> r.rn - 1;
  perform public.touch_playlist(p_playlist_id);
  return public.playlist_summary(p_playlist_id);
end
$$;

create function public.reorder_playlist(p_playlist_id uuid, p_lesson_ids uuid[]) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_current uuid[];
begin
  perform public.require_own_playlist(p_playlist_id);
  select coalesce(array_agg(pl.lesson_id order by pl.lesson_id), '{}') into v_current
    from public.playlist_lessons pl where pl.playlist_id = p_playlist_id;
  if p_lesson_ids is null
     or cardinality(p_lesson_ids) <> cardinality(v_current)
     or (select coalesce(array_agg(x order by x), '{}') from unnest(p_lesson_ids) x) <> v_current then
    perform public.raise_app('invalid_request', 'lessonIds must be a permutation of the playlist''s lessons.');
  end if;
  update public.playlist_lessons pl set position = o.ord - 1
    from unnest(p_lesson_ids) with ordinality as o(lesson_id, ord)
   where pl.playlist_id = p_playlist_id and pl.lesson_id = o.lesson_id;
  perform public.touch_playlist(p_playlist_id);
  return public.playlist_summary(p_playlist_id);
end
$$;

create function public.get_lesson(p_lesson_id uuid) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v jsonb;
begin
  select public.lesson_json(l, t, s) into v
    from public.lessons l
    join public.topics t on t.id = l.topic_id
    join public.subjects s on s.id = t.subject_id
   where l.id = p_lesson_id;
  if v is null then
    perform public.raise_app('not_found', 'Lesson not found.');
  end if;
  return v;
end
$$;

-- ---- feed ----------------------------------------------------------------------------------------

create function public.get_feed() returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'items', coalesce((
      select jsonb_agg(jsonb_build_object('lessonId', fi.lesson_id, 'status', fi.status,
                                          'createdAt', public.iso(fi.created_at),
                                          'lesson', public.lesson_json(l, t, s))
                       order by fi.created_at, fi.lesson_id)
      from public.feed_items fi
      join public.lessons l on l.id = fi.lesson_id
      join public.topics t on t.id = l.topic_id
      join public.subjects s on s.id = t.subject_id
      where fi.user_id = auth.uid() and fi.status = 'pending'), '[]'::jsonb),
    'topics', coalesce((
      select jsonb_agg(jsonb_build_object('topicId', t.id, 'topicName', t.name, 'subjectName', s.name,
                                          'difficulty', f.difficulty,
                                          'pending', (select count(*) from public.feed_items fi
                                                       where fi.user_id = f.user_id and fi.topic_id = t.id
                                                         and fi.status = 'pending'))
                       order by s.position, t.position)
      from public.topic_follows f
      join public.topics t on t.id = f.topic_id
      join public.subjects s on s.id = t.subject_id
      where f.user_id = auth.uid()), '[]'::jsonb))
$$;

create function public.mark_feed_seen(p_lesson_id uuid) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_uid uuid := public.require_uid();
begin
  update public.feed_items fi set status = 'seen', seen_at = coalesce(fi.seen_at, now())
   where fi.user_id = v_uid and fi.lesson_id = p_lesson_id;
  if not found then
    perform public.raise_app('not_found', 'Lesson is not in your feed.');
  end if;
  return jsonb_build_object('lessonId', p_lesson_id, 'status', 'seen');
end
$$;

-- ---- quota (read) --------------------------------------------------------------------------------

-- A learner's model spend in the UTC calendar month of p_day, from the usage rollup. Called only by
-- definer functions (quota_status, reserve_quota); nobody is granted EXECUTE on it.
create function public.month_spend_usd(p_user_id uuid, p_day date) returns numeric
language sql stable
set search_path = ''
as $$
  select coalesce(sum(u.cost_usd), 0) from public.usage_daily u
   where u.user_id = p_user_id and u.day >= date_trunc('month', p_day)::date
$$;

-- Definer: spend comes from the usage rollup, which only admins may read directly.
create function public.quota_status(p_user_id uuid) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  with today as (select (now() at time zone 'UTC')::date as d)
  select jsonb_build_object(
    'tier', p.tier,
    'lessonsPerDay', tl.lessons_per_day,
    'usedToday', coalesce(q.used, 0),
    'reserved', coalesce(q.reserved, 0),
    'remaining', greatest(tl.lessons_per_day - coalesce(q.used, 0) - coalesce(q.reserved, 0), 0),
    'resetsAt', public.iso(((today.d + 1)::timestamp) at time zone 'UTC'),
    'monthlySpendUsd', public.month_spend_usd(p.id, today.d)::float8,
    'monthlySpendLimitUsd', tl.monthly_spend_usd::float8)
  from public.profiles p
  cross join today
  join public.tier_limits tl on tl.tier = p.tier
  left join public.quota_days q on q.user_id = p.id and q.day = today.d
  where p.id = p_user_id
$$;

create function public.get_my_quota() returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v jsonb := public.quota_status(public.require_uid());
begin
  if v is null then
    perform public.raise_app('not_found', 'No profile for this user.');
  end if;
  return v;
end
$$;
