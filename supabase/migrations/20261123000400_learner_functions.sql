-- Learner functions: granted to `authenticated`, act on auth.uid() only. SECURITY INVOKER, so row-level
-- security is the guard inside them too; the private helpers they call are invoker functions as well
-- and are granted to `authenticated` for that reason alone (see *_grants.sql and docs/database.md).

-- ---- shared shapes ---------------------------------------------------------------------------------

-- Playlist summary as the caller may see it (RLS applies: someone else's playlist is null).
create function private.playlist_summary(p_playlist_id uuid) returns jsonb
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
    'createdAt', private.iso(p.created_at), 'updatedAt', private.iso(p.updated_at))
  from public.playlists p where p.id = p_playlist_id
$$;

create function private.require_own_playlist(p_playlist_id uuid) returns void
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
  v_uid uuid := private.require_uid();
  v_difficulty public.lesson_difficulty;
begin
  if not exists (select 1 from public.topics t where t.id = p_topic_id) then
    perform private.raise_app('not_found', 'Topic not found.');
  end if;
  begin
    v_difficulty := coalesce(p_difficulty, 'easy'); -- the domain's CHECK is the list
  exception when check_violation then
    perform private.raise_app('invalid_request', format('Unknown difficulty %L.', p_difficulty));
  end;
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
    jsonb_agg(private.playlist_summary(p.id) order by p.updated_at desc, p.id), '[]'::jsonb))
  from public.playlists p where p.user_id = auth.uid()
$$;

create function private.check_playlist_fields(p_title text, p_description text) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_title is not null and char_length(btrim(p_title)) not between 1 and 80 then
    perform private.raise_app('invalid_request', 'title must be 1–80 characters.');
  end if;
  if p_description is not null and char_length(p_description) > 280 then
    perform private.raise_app('invalid_request', 'description must be at most 280 characters.');
  end if;
end
$$;

create function public.create_playlist(p_title text, p_description text default null) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_id uuid;
begin
  if p_title is null then
    perform private.raise_app('invalid_request', 'title is required.');
  end if;
  perform private.check_playlist_fields(p_title, p_description);
  insert into public.playlists (user_id, title, description)
  values (v_uid, btrim(p_title), p_description) returning id into v_id;
  return private.playlist_summary(v_id);
end
$$;

create function public.get_playlist(p_playlist_id uuid) returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  perform private.require_own_playlist(p_playlist_id);
  return private.playlist_summary(p_playlist_id) || jsonb_build_object('lessons', coalesce((
    select jsonb_agg(private.lesson_json(l, t, s) || jsonb_build_object('position', pl.position)
                     order by pl.position, pl.added_at)
    from public.playlist_lessons pl
    join public.lessons l on l.id = pl.lesson_id
    join public.topics t on t.id = l.topic_id
    join public.subjects s on s.id = t.subject_id
    where pl.playlist_id = p_playlist_id), '[]'::jsonb))
    -- Lessons removed after review (row-level security hides them) keep their place as placeholders.
    || jsonb_build_object('removed', coalesce((
    select jsonb_agg(jsonb_build_object('lessonId', pl.lesson_id, 'position', pl.position) order by pl.position, pl.added_at)
    from public.playlist_lessons pl
    where pl.playlist_id = p_playlist_id
      and not exists (select 1 from public.lessons l where l.id = pl.lesson_id)), '[]'::jsonb));
end
$$;

create function public.update_playlist(p_playlist_id uuid, p_title text default null, p_description text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  perform private.require_own_playlist(p_playlist_id);
  perform private.check_playlist_fields(p_title, p_description);
  update public.playlists p
     set title = coalesce(btrim(p_title), p.title),
         description = coalesce(p_description, p.description),
         updated_at = now()
   where p.id = p_playlist_id;
  return private.playlist_summary(p_playlist_id);
end
$$;

create function public.delete_playlist(p_playlist_id uuid) returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  perform private.require_own_playlist(p_playlist_id);
  delete from public.playlists p where p.id = p_playlist_id;
  return jsonb_build_object('deleted', true);
end
$$;

create function private.touch_playlist(p_playlist_id uuid) returns void
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
  perform private.require_own_playlist(p_playlist_id);
  if not exists (select 1 from public.lessons l where l.id = p_lesson_id) then
    perform private.raise_app('not_found', 'Lesson not found.');
  end if;
  insert into public.playlist_lessons (playlist_id, lesson_id, position)
  select p_playlist_id, p_lesson_id,
         greatest(
           coalesce((select max(pl.position) + 1 from public.playlist_lessons pl where pl.playlist_id = p_playlist_id), 0),
           -- RLS: the learner reads their own generation requests, which are the ones on their playlist.
           coalesce((select max(g.playlist_position_base + g.requested) from public.generation_requests g
                      where g.playlist_id = p_playlist_id and g.status = 'running'), 0))
  on conflict (playlist_id, lesson_id) do nothing;
  if found then
    perform private.touch_playlist(p_playlist_id);
  end if;
  return private.playlist_summary(p_playlist_id);
end
$$;

create function public.remove_playlist_lesson(p_playlist_id uuid, p_lesson_id uuid) returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  perform private.require_own_playlist(p_playlist_id);
  delete from public.playlist_lessons pl where pl.playlist_id = p_playlist_id and pl.lesson_id = p_lesson_id;
  if not found then
    perform private.raise_app('not_found', 'Lesson is not in this playlist.');
  end if;
  -- Keep positions contiguous (0..n-1).
  update public.playlist_lessons pl set position = r.rn - 1
    from (select x.lesson_id, row_number() over (order by x.position, x.added_at) as rn
            from public.playlist_lessons x where x.playlist_id = p_playlist_id) r
   where pl.playlist_id = p_playlist_id and pl.lesson_id = r.lesson_id and pl.position <> r.rn - 1;
  perform private.touch_playlist(p_playlist_id);
  return private.playlist_summary(p_playlist_id);
end
$$;

create function public.reorder_playlist(p_playlist_id uuid, p_lesson_ids uuid[]) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_current uuid[];
begin
  perform private.require_own_playlist(p_playlist_id);
  select coalesce(array_agg(pl.lesson_id order by pl.lesson_id), '{}') into v_current
    from public.playlist_lessons pl where pl.playlist_id = p_playlist_id;
  if p_lesson_ids is null
     or cardinality(p_lesson_ids) <> cardinality(v_current)
     or (select coalesce(array_agg(x order by x), '{}') from unnest(p_lesson_ids) x) <> v_current then
    perform private.raise_app('invalid_request', 'lessonIds must be a permutation of the playlist''s lessons.');
  end if;
  update public.playlist_lessons pl set position = o.ord - 1
    from unnest(p_lesson_ids) with ordinality as o(lesson_id, ord)
   where pl.playlist_id = p_playlist_id and pl.lesson_id = o.lesson_id;
  perform private.touch_playlist(p_playlist_id);
  return private.playlist_summary(p_playlist_id);
end
$$;

create function public.get_lesson(p_lesson_id uuid) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v jsonb;
begin
  select private.lesson_json(l, t, s) into v
    from public.lessons l
    join public.topics t on t.id = l.topic_id
    join public.subjects s on s.id = t.subject_id
   where l.id = p_lesson_id;
  if v is null then
    perform private.raise_app('not_found', 'Lesson not found.');
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
                                          'createdAt', private.iso(fi.created_at),
                                          'lesson', private.lesson_json(l, t, s))
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
  v_uid uuid := private.require_uid();
begin
  update public.feed_items fi set status = 'seen', seen_at = coalesce(fi.seen_at, now())
   where fi.user_id = v_uid and fi.lesson_id = p_lesson_id;
  if not found then
    perform private.raise_app('not_found', 'Lesson is not in your feed.');
  end if;
  return jsonb_build_object('lessonId', p_lesson_id, 'status', 'seen');
end
$$;
