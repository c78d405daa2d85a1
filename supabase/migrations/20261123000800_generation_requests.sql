-- Generation requests: idempotent begin, saving lessons into the request's playlist, finish, and the
-- context a "more like this playlist" generation needs. SECURITY DEFINER, for `service_role` only.

create function public.begin_generation(
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
  if p_feature is null or not (p_feature = any(private.domain_values('public.usage_feature'))) then
    perform private.raise_app('invalid_request', 'Unknown feature.');
  end if;
  if p_count is null or p_count < 0 then
    perform private.raise_app('invalid_request', 'p_count must be >= 0.');
  end if;
  if p_playlist_id is not null then
    -- Lock the playlist: concurrent begins on it reserve disjoint ranges.
    perform 1 from public.playlists p
     where p.id = p_playlist_id and p.user_id is not distinct from p_user_id
       for update;
    if not found then
      perform private.raise_app('not_found', 'Playlist not found.');
    end if;
  end if;

  -- A running request whose lease expired (a crashed run) gives its key to this retry.
  if nullif(p_idempotency_key, '') is not null then
    update public.generation_requests g
       set status = 'cancelled', idempotency_key = null, finished_at = now(),
           result = jsonb_build_object('abandoned', true, 'idempotencyKey', g.idempotency_key)
     where g.user_id = p_user_id and g.idempotency_key = p_idempotency_key
       and g.status = 'running' and g.updated_at < now() - private.generation_lease()
       and g.body_hash is not distinct from p_body_hash;
    if found then
      perform private.settle_stale_reservations(p_user_id);
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

-- Save lessons of one request, idempotent per (request, slot), and append them to the request's
-- playlist in slot order, all in one transaction. Returns the lessons for the given slots in the
-- caller's input order, so a streaming caller that saves slot 3 before slot 1 can match by position.
create function public.save_generated_lessons(p_request_id uuid, p_lessons jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_difficulties text[] := private.domain_values('public.lesson_difficulty');
  r public.generation_requests;
  bad int;
begin
  -- Serialise concurrent saves of the same request.
  select * into r from public.generation_requests g where g.id = p_request_id for update;
  if r.id is null then
    perform private.raise_app('not_found', 'Generation request not found.');
  end if;
  if p_lessons is null or jsonb_typeof(p_lessons) <> 'array' then
    perform private.raise_app('invalid_request', 'p_lessons must be an array.');
  end if;

  select count(*) into bad
    from jsonb_array_elements(p_lessons) e
   where jsonb_typeof(e) <> 'object'
      or jsonb_typeof(e -> 'slot') <> 'number'
      or case when jsonb_typeof(e -> 'slot') = 'number' then (e ->> 'slot')::numeric < 0 else false end
      or (e ->> 'difficulty') is null or not ((e ->> 'difficulty') = any(v_difficulties))
      or coalesce(btrim(e ->> 'title'), '') = ''
      or jsonb_typeof(e -> 'content') <> 'object'
      or not exists (select 1 from public.topics t where t.id::text = e ->> 'topicId');
  if bad > 0 then
    perform private.raise_app('invalid_request',
      'Each lesson needs slot, an existing topicId, difficulty, title and content.');
  end if;

  insert into public.lessons (topic_id, difficulty, title, normalized_title, content, content_version,
                              source, model, generation_request_id, generation_slot, created_by)
  select (e ->> 'topicId')::uuid, e ->> 'difficulty', btrim(e ->> 'title'), private.normalize_title(e ->> 'title'),
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
    select jsonb_agg(private.lesson_json(l, t, s) order by x.ord)
      from (select (e ->> 'slot')::int as slot, min(o) as ord
              from jsonb_array_elements(p_lessons) with ordinality as i(e, o) group by 1) x
      join public.lessons l on l.generation_request_id = p_request_id and l.generation_slot = x.slot
      join public.topics t on t.id = l.topic_id
      join public.subjects s on s.id = t.subject_id), '[]'::jsonb));
end
$$;

create function public.finish_generation(p_request_id uuid, p_status text, p_result jsonb default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- A finished request is any status but the one it runs in.
  v_final text[] := array_remove(private.domain_values('public.generation_status'), 'running');
  r public.generation_requests;
begin
  if p_status is null or not (p_status = any(v_final)) then
    perform private.raise_app('invalid_request', 'status must be one of ' || array_to_string(v_final, ', ') || '.');
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
    perform private.raise_app('not_found', 'Generation request not found.');
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

create function public.playlist_generation_context(p_user_id uuid, p_playlist_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_topic uuid;
  v_difficulty text;
  v_count int;
begin
  if not exists (select 1 from public.playlists p where p.id = p_playlist_id and p.user_id = p_user_id) then
    perform private.raise_app('not_found', 'Playlist not found.');
  end if;
  select count(*) into v_count from public.playlist_lessons pl where pl.playlist_id = p_playlist_id;
  if v_count = 0 then
    perform private.raise_app('playlist_empty', 'Add a lesson to this playlist first.');
  end if;
  select l.topic_id into v_topic
    from public.playlist_lessons pl join public.lessons l on l.id = pl.lesson_id
   where pl.playlist_id = p_playlist_id
   group by l.topic_id order by count(*) desc, max(pl.position) desc limit 1;
  select l.difficulty into v_difficulty
    from public.playlist_lessons pl join public.lessons l on l.id = pl.lesson_id
   where pl.playlist_id = p_playlist_id and l.topic_id = v_topic
   group by l.difficulty order by count(*) desc, max(pl.position) desc limit 1;
  return (
    select jsonb_build_object(
      'playlistId', p_playlist_id, 'subjectName', s.name, 'topicId', t.id, 'topicName', t.name,
      'difficulty', v_difficulty, 'lessonCount', v_count,
      'avoidTitles', coalesce((
        select jsonb_agg(x.title) from (
          select l.title from public.playlist_lessons pl join public.lessons l on l.id = pl.lesson_id
           where pl.playlist_id = p_playlist_id and (l.private_to is null or l.private_to = p_user_id)
          union
          select y.title from (select l2.title from public.lessons l2
                                where l2.topic_id = v_topic and (l2.private_to is null or l2.private_to = p_user_id)
                                order by l2.created_at desc limit 50) y
        ) x), '[]'::jsonb))
    from public.topics t join public.subjects s on s.id = t.subject_id where t.id = v_topic);
end
$$;
