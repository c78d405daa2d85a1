-- Generation slots: a generation for a playlist reserves the positions of all its slots when it
-- begins, and each lesson is saved straight into its own slot's position as it arrives, so the
-- playlist is never re-sorted afterwards (docs/database.md).
--
-- Positions are sort keys. A slot that fails leaves its number unused until the request finishes;
-- finish_generation then renumbers the playlist 0..n-1 in the same order, so no gap is ever shown
-- (the learner's page lists lessons by order, and the API's `position` is contiguous once done).

alter table public.generation_requests add column if not exists playlist_position_base int;

comment on column public.generation_requests.playlist_position_base is
  'Position of slot 0 in the playlist; slot i lands at base + i. Reserved by begin_generation.';

create or replace function public.begin_generation(
  p_user_id uuid, p_idempotency_key text, p_body_hash text, p_feature text,
  p_playlist_id uuid default null, p_count int default 0)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
  v_base int;
  r public.generation_requests;
begin
  if p_feature is null or p_feature not in ('similar', 'fyp-learner', 'fyp-sweep', 'bench') then
    perform public.raise_app('invalid_request', 'Unknown feature.');
  end if;
  if p_count is null or p_count < 0 then
    perform public.raise_app('invalid_request', 'p_count must be >= 0.');
  end if;
  if p_playlist_id is not null then
    -- Lock the playlist: concurrent begins on it reserve disjoint ranges.
    perform 1 from public.playlists p
     where p.id = p_playlist_id and p.user_id is not distinct from p_user_id
       for update;
    if not found then
      perform public.raise_app('not_found', 'Playlist not found.');
    end if;
  end if;

  insert into public.generation_requests (user_id, idempotency_key, body_hash, feature, playlist_id, requested)
  values (p_user_id, nullif(p_idempotency_key, ''), p_body_hash, p_feature, p_playlist_id, p_count)
  on conflict (user_id, idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
    if p_playlist_id is not null then
      -- After every lesson and every slot another running generation holds.
      select greatest(
               coalesce((select max(pl.position) + 1 from public.playlist_lessons pl where pl.playlist_id = p_playlist_id), 0),
               coalesce((select max(g.playlist_position_base + g.requested) from public.generation_requests g
                          where g.playlist_id = p_playlist_id and g.status = 'running' and g.id <> v_id), 0))
        into v_base;
      update public.generation_requests g set playlist_position_base = v_base where g.id = v_id;
    end if;
    return jsonb_build_object('requestId', v_id, 'state', 'new', 'result', null);
  end if;

  select * into r from public.generation_requests g
   where g.user_id = p_user_id and g.idempotency_key = p_idempotency_key;
  if r.body_hash is distinct from p_body_hash then
    return jsonb_build_object('requestId', r.id, 'state', 'conflict', 'result', null);
  end if;
  if r.status = 'running' then
    return jsonb_build_object('requestId', r.id, 'state', 'in_progress', 'result', null);
  end if;
  return jsonb_build_object('requestId', r.id, 'state', 'replay', 'result', r.result);
end
$$;

-- Save lessons of one request, idempotent per (request, slot), each into the playlist position its
-- slot reserved, all in one transaction. Returns the lessons for the given slots in the caller's
-- input order, so a streaming caller that saves slot 3 before slot 1 can match by position.
create or replace function public.save_generated_lessons(p_request_id uuid, p_lessons jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.generation_requests;
  bad int;
begin
  -- Serialise concurrent saves of the same request.
  select * into r from public.generation_requests g where g.id = p_request_id for update;
  if r.id is null then
    perform public.raise_app('not_found', 'Generation request not found.');
  end if;
  if p_lessons is null or jsonb_typeof(p_lessons) <> 'array' then
    perform public.raise_app('invalid_request', 'p_lessons must be an array.');
  end if;

  select count(*) into bad
    from jsonb_array_elements(p_lessons) e
   where jsonb_typeof(e) <> 'object'
      or jsonb_typeof(e -> 'slot') <> 'number'
      or case when jsonb_typeof(e -> 'slot') = 'number' then (e ->> 'slot')::numeric < 0 else false end
      or (e ->> 'difficulty') is null or (e ->> 'difficulty') not in ('intro', 'easy', 'medium', 'hard')
      or coalesce(btrim(e ->> 'title'), '') = ''
      or jsonb_typeof(e -> 'content') <> 'object'
      or not exists (select 1 from public.topics t where t.id::text = e ->> 'topicId');
  if bad > 0 then
    perform public.raise_app('invalid_request',
      'Each lesson needs slot, an existing topicId, difficulty, title and content.');
  end if;

  insert into public.lessons (topic_id, difficulty, title, normalized_title, content, content_version,
                              source, model, generation_request_id, generation_slot, created_by)
  select (e ->> 'topicId')::uuid, e ->> 'difficulty', btrim(e ->> 'title'), public.normalize_title(e ->> 'title'),
         (e -> 'content') || jsonb_build_object('version', 1), 1,
         'generated', e ->> 'model', p_request_id, (e ->> 'slot')::int, r.user_id
    from jsonb_array_elements(p_lessons) e
   order by (e ->> 'slot')::int
  on conflict (generation_request_id, generation_slot) do nothing;

  if r.playlist_id is not null then
    insert into public.playlist_lessons (playlist_id, lesson_id, position)
    select r.playlist_id, l.id,
           case when r.playlist_position_base is not null then r.playlist_position_base + l.generation_slot
                -- A request begun before slots were reserved: append in slot order.
                else coalesce((select max(pl.position) from public.playlist_lessons pl where pl.playlist_id = r.playlist_id), -1)
                       + row_number() over (order by l.generation_slot) end
      from public.lessons l
     where l.generation_request_id = p_request_id
       and not exists (select 1 from public.playlist_lessons pl
                        where pl.playlist_id = r.playlist_id and pl.lesson_id = l.id);
    update public.playlists p set updated_at = now() where p.id = r.playlist_id;
  end if;

  update public.generation_requests g set updated_at = now() where g.id = p_request_id;

  -- In the caller's input order (a streaming caller saves slots as they arrive, in any order).
  return jsonb_build_object('lessons', coalesce((
    select jsonb_agg(public.lesson_json(l, t, s) order by x.ord)
      from (select (e ->> 'slot')::int as slot, min(o) as ord
              from jsonb_array_elements(p_lessons) with ordinality as i(e, o) group by 1) x
      join public.lessons l on l.generation_request_id = p_request_id and l.generation_slot = x.slot
      join public.topics t on t.id = l.topic_id
      join public.subjects s on s.id = t.subject_id), '[]'::jsonb));
end
$$;

-- Finish a request: store its status and replayable result, and close the gaps its failed slots left
-- in the playlist (same order, positions 0..n-1).
create or replace function public.finish_generation(p_request_id uuid, p_status text, p_result jsonb default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.generation_requests;
begin
  if p_status is null or p_status not in ('succeeded', 'partial', 'failed', 'cancelled') then
    perform public.raise_app('invalid_request', 'status must be succeeded, partial, failed or cancelled.');
  end if;
  update public.generation_requests g
     set status = p_status,
         result = p_result,
         succeeded = case when jsonb_typeof(p_result -> 'lessons') = 'array'
                          then jsonb_array_length(p_result -> 'lessons')
                          else (select count(*) from public.lessons l where l.generation_request_id = g.id) end,
         failed = case when jsonb_typeof(p_result -> 'failed') = 'array'
                       then jsonb_array_length(p_result -> 'failed') else g.failed end,
         updated_at = now(), finished_at = now()
   where g.id = p_request_id
   returning * into r;
  if r.id is null then
    perform public.raise_app('not_found', 'Generation request not found.');
  end if;
  if r.playlist_id is not null then
    update public.playlist_lessons pl set position = o.rn - 1
      from (select x.lesson_id, row_number() over (order by x.position, x.added_at) as rn
              from public.playlist_lessons x where x.playlist_id = r.playlist_id) o
     where pl.playlist_id = r.playlist_id and pl.lesson_id = o.lesson_id and pl.position <> o.rn - 1;
  end if;
  return jsonb_build_object('requestId', r.id, 'status', r.status, 'succeeded', r.succeeded, 'failed', r.failed);
end
$$;

-- A lesson added by hand while a generation runs goes after that generation's reserved slots.
create or replace function public.add_playlist_lesson(p_playlist_id uuid, p_lesson_id uuid) returns jsonb
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
         greatest(
           coalesce((select max(pl.position) + 1 from public.playlist_lessons pl where pl.playlist_id = p_playlist_id), 0),
           -- RLS: the learner reads their own generation requests, which are the ones on their playlist.
           coalesce((select max(g.playlist_position_base + g.requested) from public.generation_requests g
                      where g.playlist_id = p_playlist_id and g.status = 'running'), 0))
  on conflict (playlist_id, lesson_id) do nothing;
  if found then
    perform public.touch_playlist(p_playlist_id);
  end if;
  return public.playlist_summary(p_playlist_id);
end
$$;
