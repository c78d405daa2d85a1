-- Service functions (docs/database.md): SECURITY DEFINER, executable by service_role only. The server
-- calls them with the user id it authenticated; a learner's own session can never reach them.

create function public.db_health() returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('ok', true,
    'migrationVersion', (select max(m.version) from supabase_migrations.schema_migrations m))
$$;

create function public.profile_json(p public.profiles) returns jsonb
language sql stable
set search_path = ''
as $$
  select case when p.id is null then null else jsonb_build_object(
    'id', p.id, 'email', p.email, 'displayName', p.display_name, 'tier', p.tier, 'role', p.role,
    'isAdmin', p.role = 'admin') end
$$;

create function public.sync_profile(p_user_id uuid, p_email text, p_promote_admin boolean default false)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  v public.profiles;
begin
  if p_user_id is null or v_email is null or v_email = '' then
    perform public.raise_app('invalid_request', 'user id and email are required.');
  end if;
  insert into public.profiles as pr (id, email, display_name, role)
  values (p_user_id, v_email, split_part(v_email, '@', 1),
          case when coalesce(p_promote_admin, false) then 'admin' else 'learner' end)
  on conflict (id) do update
    set email = excluded.email,
        role = case when coalesce(p_promote_admin, false) then 'admin' else pr.role end,
        updated_at = now()
  returning * into v;
  return public.profile_json(v);
end
$$;

create function public.sign_in_local_user(p_email text, p_promote_admin boolean default false) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  v_id uuid;
  v jsonb;
begin
  if v_email is null or v_email !~ '^[^@\s]+@[^@\s]+$' or char_length(v_email) > 254 then
    perform public.raise_app('invalid_request', 'A valid email is required.');
  end if;
  insert into auth.users (email, raw_app_meta_data) values (v_email, '{"provider":"local"}'::jsonb)
  on conflict (email) do update set last_sign_in_at = now()
  returning id into v_id;
  v := public.sync_profile(v_id, v_email, p_promote_admin);
  return jsonb_build_object('userId', v_id, 'email', v_email, 'role', v ->> 'role', 'tier', v ->> 'tier');
end
$$;

create function public.get_profile(p_user_id uuid) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select public.profile_json(p) from public.profiles p where p.id = p_user_id
$$;

-- ---- quota ---------------------------------------------------------------------------------------

-- Check and reserve in ONE statement: the upsert's WHERE is re-evaluated on the locked, latest row,
-- so concurrent callers can never over-reserve (50 × 1 against 20 remaining grants exactly 20).
-- Reservations left "held" for over 30 minutes by a server that crashed before settling are
-- released first.
create function public.reserve_quota(p_user_id uuid, p_lessons int, p_request_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_today date := (now() at time zone 'UTC')::date;
  v_reservation uuid;
  v_limit int;
  v_status jsonb;
  v_resets timestamptz := ((v_today + 1)::timestamp) at time zone 'UTC';
  v_spend_blocked boolean;
begin
  if p_lessons is null or p_lessons < 1 then
    perform public.raise_app('invalid_request', 'p_lessons must be at least 1.');
  end if;
  select tl.lessons_per_day into v_limit
    from public.profiles p join public.tier_limits tl on tl.tier = p.tier where p.id = p_user_id;
  if v_limit is null then
    perform public.raise_app('not_found', 'No profile for this user.');
  end if;

  -- Release this learner's reservations a crashed server never settled, so they do not block the day.
  with stale as (
    update public.quota_reservations qr set status = 'settled', used = 0, settled_at = now()
     where qr.user_id = p_user_id and qr.status = 'held' and qr.created_at < now() - interval '30 minutes'
     returning qr.day, qr.lessons
  )
  update public.quota_days q set reserved = greatest(q.reserved - s.total, 0)
    from (select stale.day, sum(stale.lessons)::int as total from stale group by stale.day) s
   where q.user_id = p_user_id and q.day = s.day;

  with lim as (
    select tl.lessons_per_day, tl.monthly_spend_usd,
           public.month_spend_usd(p_user_id, v_today) as spent
      from public.profiles p join public.tier_limits tl on tl.tier = p.tier
     where p.id = p_user_id
  ), bumped as (
    insert into public.quota_days as q (user_id, day, used, reserved)
    select p_user_id, v_today, 0, p_lessons from lim
     where p_lessons <= lim.lessons_per_day
       and (lim.monthly_spend_usd is null or lim.spent < lim.monthly_spend_usd)
    on conflict (user_id, day) do update set reserved = q.reserved + excluded.reserved
     where q.used + q.reserved + excluded.reserved <= (select lim.lessons_per_day from lim)
    returning q.user_id
  ), held as (
    insert into public.quota_reservations (user_id, day, lessons, request_id)
    select b.user_id, v_today, p_lessons, p_request_id from bumped b
    returning id
  )
  select h.id into v_reservation from held h;

  v_status := public.quota_status(p_user_id);
  if v_reservation is not null then
    return jsonb_build_object('granted', true, 'reservationId', v_reservation,
      'remaining', (v_status ->> 'remaining')::int, 'lessonsPerDay', v_limit,
      'resetsAt', v_status ->> 'resetsAt', 'retryAfterSeconds', null);
  end if;
  v_spend_blocked := (v_status ->> 'monthlySpendLimitUsd') is not null
    and (v_status ->> 'monthlySpendUsd')::numeric >= (v_status ->> 'monthlySpendLimitUsd')::numeric;
  return jsonb_build_object('granted', false, 'reservationId', null,
    'remaining', (v_status ->> 'remaining')::int, 'lessonsPerDay', v_limit,
    'resetsAt', case when v_spend_blocked
                     then public.iso((date_trunc('month', v_today) + interval '1 month')::timestamp at time zone 'UTC')
                     else public.iso(v_resets) end,
    'retryAfterSeconds', greatest(1, ceil(extract(epoch from
        case when v_spend_blocked
             then (date_trunc('month', v_today) + interval '1 month')::timestamp at time zone 'UTC'
             else v_resets end - now())))::int,
    'reason', case when v_spend_blocked then 'monthly_spend' else 'daily_lessons' end);
end
$$;

-- Settle a reservation: keep what was used, refund the rest. One statement; a second call is a no-op
-- that answers the same numbers.
create function public.settle_quota(p_reservation_id uuid, p_used int) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.quota_reservations;
  v_remaining int;
begin
  with s as (
    update public.quota_reservations qr
       set status = 'settled', used = greatest(0, least(coalesce(p_used, 0), qr.lessons)), settled_at = now()
     where qr.id = p_reservation_id and qr.status = 'held'
     returning qr.*
  ), d as (
    update public.quota_days q
       set reserved = greatest(q.reserved - s.lessons, 0), used = q.used + s.used
      from s where q.user_id = s.user_id and q.day = s.day
     returning q.user_id
  )
  select s.* into r from s left join d on true;

  if r.id is null then
    select * into r from public.quota_reservations qr where qr.id = p_reservation_id;
    if r.id is null then
      perform public.raise_app('not_found', 'Reservation not found.');
    end if;
  end if;
  v_remaining := (public.quota_status(r.user_id) ->> 'remaining')::int;
  return jsonb_build_object('used', r.used, 'refunded', r.lessons - r.used, 'remaining', v_remaining);
end
$$;

-- Test and demo helper: set a learner's lessons used today (the "nearly out of quota" preset).
create function public.seed_quota_usage(p_user_id uuid, p_used int) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_today date := (now() at time zone 'UTC')::date;
begin
  if not exists (select 1 from public.profiles p where p.id = p_user_id) then
    perform public.raise_app('not_found', 'No profile for this user.');
  end if;
  if p_used is null or p_used < 0 then
    perform public.raise_app('invalid_request', 'p_used must be >= 0.');
  end if;
  update public.quota_reservations qr set status = 'settled', used = 0, settled_at = now()
   where qr.user_id = p_user_id and qr.day = v_today and qr.status = 'held';
  insert into public.quota_days (user_id, day, used, reserved) values (p_user_id, v_today, p_used, 0)
  on conflict (user_id, day) do update set used = excluded.used, reserved = 0;
  return jsonb_build_object('userId', p_user_id, 'usedToday', p_used) || public.quota_status(p_user_id);
end
$$;

-- ---- generation requests -------------------------------------------------------------------------

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
  r public.generation_requests;
begin
  if p_feature is null or p_feature not in ('similar', 'fyp-learner', 'fyp-sweep', 'bench') then
    perform public.raise_app('invalid_request', 'Unknown feature.');
  end if;
  if p_count is null or p_count < 0 then
    perform public.raise_app('invalid_request', 'p_count must be >= 0.');
  end if;
  if p_playlist_id is not null and not exists (
      select 1 from public.playlists p where p.id = p_playlist_id and p.user_id is not distinct from p_user_id) then
    perform public.raise_app('not_found', 'Playlist not found.');
  end if;

  insert into public.generation_requests (user_id, idempotency_key, body_hash, feature, playlist_id, requested)
  values (p_user_id, nullif(p_idempotency_key, ''), p_body_hash, p_feature, p_playlist_id, p_count)
  on conflict (user_id, idempotency_key) do nothing
  returning id into v_id;
  if v_id is not null then
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
           coalesce((select max(pl.position) from public.playlist_lessons pl where pl.playlist_id = r.playlist_id), -1)
             + row_number() over (order by l.generation_slot)
      from public.lessons l
     where l.generation_request_id = p_request_id
       and not exists (select 1 from public.playlist_lessons pl
                        where pl.playlist_id = r.playlist_id and pl.lesson_id = l.id)
     order by l.generation_slot;
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

create function public.finish_generation(p_request_id uuid, p_status text, p_result jsonb default null)
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
    perform public.raise_app('not_found', 'Playlist not found.');
  end if;
  select count(*) into v_count from public.playlist_lessons pl where pl.playlist_id = p_playlist_id;
  if v_count = 0 then
    perform public.raise_app('playlist_empty', 'Add a lesson to this playlist first.');
  end if;
  -- The playlist's dominant topic and difficulty; ties go to the most recently added lesson.
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
           where pl.playlist_id = p_playlist_id
          union
          select y.title from (select l2.title from public.lessons l2 where l2.topic_id = v_topic
                                order by l2.created_at desc limit 50) y
        ) x), '[]'::jsonb))
    from public.topics t join public.subjects s on s.id = t.subject_id where t.id = v_topic);
end
$$;

-- ---- usage ---------------------------------------------------------------------------------------

create function public.insert_usage_events(p_events jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_inserted int;
begin
  if p_events is null or jsonb_typeof(p_events) <> 'array' then
    perform public.raise_app('invalid_request', 'p_events must be an array.');
  end if;
  insert into public.usage_events (
    id, created_at, request_id, user_id, feature, mode, provider, model, attempt, lessons_asked,
    lessons_valid, prompt_tokens, cached_tokens, completion_tokens, latency_ms, ttft_ms, http_status,
    finish_reason, error_code, cost_usd, counterfactual_prompt_tokens, counterfactual_cost_usd,
    price_version, circuit_open)
  select (e ->> 'id')::uuid, coalesce((e ->> 'createdAt')::timestamptz, now()),
         (e ->> 'requestId')::uuid,
         -- A user deleted meanwhile must not lose the row.
         (select p.id from public.profiles p where p.id = (e ->> 'userId')::uuid),
         e ->> 'feature', e ->> 'mode', e ->> 'provider', e ->> 'model',
         coalesce((e ->> 'attempt')::int, 1), coalesce((e ->> 'lessonsAsked')::int, 0),
         coalesce((e ->> 'lessonsValid')::int, 0), coalesce((e ->> 'promptTokens')::int, 0),
         coalesce((e ->> 'cachedTokens')::int, 0), coalesce((e ->> 'completionTokens')::int, 0),
         coalesce(round((e ->> 'latencyMs')::numeric)::int, 0), round((e ->> 'ttftMs')::numeric)::int,
         (e ->> 'httpStatus')::int, e ->> 'finishReason', e ->> 'errorCode',
         coalesce((e ->> 'costUsd')::numeric, 0), (e ->> 'counterfactualPromptTokens')::int,
         (e ->> 'counterfactualCostUsd')::numeric, coalesce(e ->> 'priceVersion', 'unknown'),
         coalesce((e ->> 'circuitOpen')::boolean, false)
    from jsonb_array_elements(p_events) e
  on conflict (id) do nothing;
  get diagnostics v_inserted = row_count;
  return jsonb_build_object('inserted', v_inserted);
exception
  when invalid_text_representation or not_null_violation or check_violation or numeric_value_out_of_range
       or datetime_field_overflow or invalid_datetime_format then
    raise exception using errcode = 'P0001', message = 'invalid_request', detail = 'Malformed usage event: ' || sqlerrm;
end
$$;

-- ---- rate limits ---------------------------------------------------------------------------------

-- Token bucket in one upsert: refill by elapsed time, take p_cost if there is enough.
create function public.take_rate_limit(p_key text, p_capacity int, p_refill_per_second float8, p_cost int default 1)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tokens float8;
  v_allowed boolean;
begin
  if p_key is null or p_capacity is null or p_capacity < 1 or p_refill_per_second is null
     or p_refill_per_second <= 0 or p_cost is null or p_cost < 0 then
    perform public.raise_app('invalid_request', 'Bad rate-limit parameters.');
  end if;
  insert into public.rate_limit_buckets as b (key, tokens, last_allowed, updated_at)
  values (p_key, greatest(p_capacity - p_cost, 0), p_cost <= p_capacity, clock_timestamp())
  on conflict (key) do update set
    tokens = case
      when least(p_capacity::float8, b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * p_refill_per_second) >= p_cost
      then least(p_capacity::float8, b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * p_refill_per_second) - p_cost
      else least(p_capacity::float8, b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * p_refill_per_second) end,
    last_allowed = least(p_capacity::float8, b.tokens + extract(epoch from clock_timestamp() - b.updated_at) * p_refill_per_second) >= p_cost,
    updated_at = clock_timestamp()
  returning b.tokens, b.last_allowed into v_tokens, v_allowed;
  return jsonb_build_object('allowed', v_allowed, 'remaining', floor(v_tokens)::int,
    'retryAfterMs', case when v_allowed then 0 else ceil((p_cost - v_tokens) / p_refill_per_second * 1000)::int end);
end
$$;

-- ---- feed top-up ---------------------------------------------------------------------------------

-- Fill one learner's low topics from the lesson library and claim what is still missing for p_claim_id,
-- so no other run (another instance's sweep, the learner's own top-up) generates the same shortfall.
-- A topic whose claim another run still holds is left to that run and counted in `inProgress`.
-- Caller holds the learner's profile lock. Claims live 10 minutes: longer than a sweep may run
-- (the route's maxDuration is 300 s), short enough that a crashed instance delays a feed, never blocks it.
create function public.fyp_fill_locked(p_user_id uuid, p_cap int, p_claim_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  f record;
  v_missing int;
  v_added int;
  v_claimed int;
  v_total int := 0;
  v_in_progress int := 0;
  v_shortfall jsonb := '[]'::jsonb;
begin
  for f in
    select tf.topic_id, tf.difficulty, t.name as topic_name, s.name as subject_name,
           (select count(*) from public.feed_items fi
             where fi.user_id = p_user_id and fi.topic_id = tf.topic_id and fi.status = 'pending') as pending
      from public.topic_follows tf
      join public.topics t on t.id = tf.topic_id
      join public.subjects s on s.id = t.subject_id
     where tf.user_id = p_user_id
     order by s.position, t.position
  loop
    v_missing := p_cap - f.pending;
    continue when v_missing <= 0;
    insert into public.feed_items (user_id, lesson_id, topic_id)
    select p_user_id, l.id, l.topic_id
      from public.lessons l
     where l.topic_id = f.topic_id and l.difficulty = f.difficulty
       and not exists (select 1 from public.feed_items fi where fi.user_id = p_user_id and fi.lesson_id = l.id)
     order by l.created_at, l.id
     limit v_missing
    on conflict do nothing;
    get diagnostics v_added = row_count;
    v_total := v_total + v_added;
    continue when v_added >= v_missing;
    -- Take the claim unless another run holds a live one (an expired one is taken over).
    insert into public.fyp_claims as c (user_id, topic_id, claim_id, claimed_until)
    values (p_user_id, f.topic_id, p_claim_id, clock_timestamp() + interval '10 minutes')
    on conflict (user_id, topic_id) do update
      set claim_id = excluded.claim_id, claimed_until = excluded.claimed_until
      where c.claimed_until <= clock_timestamp();
    get diagnostics v_claimed = row_count;
    if v_claimed = 0 then
      v_in_progress := v_in_progress + 1;
      continue;
    end if;
    v_shortfall := v_shortfall || jsonb_build_array(jsonb_build_object(
      'topicId', f.topic_id, 'subjectName', f.subject_name, 'topicName', f.topic_name,
      'difficulty', f.difficulty, 'missing', v_missing - v_added,
      'avoidTitles', coalesce((select jsonb_agg(x.title) from (
          select l.title from public.lessons l where l.topic_id = f.topic_id
           order by l.created_at desc limit 50) x), '[]'::jsonb)));
  end loop;
  return jsonb_build_object('fromLibrary', v_total, 'shortfall', v_shortfall, 'inProgress', v_in_progress);
end
$$;

create function public.fyp_fill_from_library(p_user_id uuid, p_cap int default 2) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_claim_id uuid := gen_random_uuid();
  v_fill jsonb;
begin
  if p_cap is null or p_cap < 1 then
    perform public.raise_app('invalid_request', 'p_cap must be at least 1.');
  end if;
  -- One top-up per learner at a time, so the per-topic cap holds under concurrency.
  perform 1 from public.profiles p where p.id = p_user_id for update;
  if not found then
    perform public.raise_app('not_found', 'No profile for this user.');
  end if;
  v_fill := public.fyp_fill_locked(p_user_id, p_cap, v_claim_id);
  return v_fill || jsonb_build_object('claimId',
    case when jsonb_array_length(v_fill -> 'shortfall') > 0 then v_claim_id end);
end
$$;

-- Delivers generated lessons (never past the cap per topic) and, with p_claim_id, releases that claim's
-- topics for this learner in the same transaction, so no other run sees the gap in between.
create function public.fyp_deliver(p_user_id uuid, p_lesson_ids uuid[], p_cap int default 2, p_claim_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_lesson record;
  v_delivered int := 0;
  v_released int := 0;
begin
  if p_cap is null or p_cap < 1 then
    perform public.raise_app('invalid_request', 'p_cap must be at least 1.');
  end if;
  perform 1 from public.profiles p where p.id = p_user_id for update;
  if not found then
    perform public.raise_app('not_found', 'No profile for this user.');
  end if;
  for v_lesson in
    select l.id, l.topic_id from unnest(coalesce(p_lesson_ids, '{}')) with ordinality as x(id, ord)
      join public.lessons l on l.id = x.id order by x.ord
  loop
    if (select count(*) from public.feed_items fi
         where fi.user_id = p_user_id and fi.topic_id = v_lesson.topic_id and fi.status = 'pending') < p_cap then
      insert into public.feed_items (user_id, lesson_id, topic_id) values (p_user_id, v_lesson.id, v_lesson.topic_id)
      on conflict do nothing;
      if found then
        v_delivered := v_delivered + 1;
      end if;
    end if;
  end loop;
  if p_claim_id is not null then
    delete from public.fyp_claims c where c.claim_id = p_claim_id and c.user_id = p_user_id;
    get diagnostics v_released = row_count;
  end if;
  return jsonb_build_object('delivered', v_delivered, 'released', v_released);
end
$$;

-- Releases whatever a run still claims (called in a finally: generation failed or delivered nothing),
-- so the next sweep retries at once instead of waiting for the claims to expire.
create function public.fyp_release_claims(p_claim_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_released int;
begin
  delete from public.fyp_claims c where c.claim_id = p_claim_id;
  get diagnostics v_released = row_count;
  return jsonb_build_object('released', v_released);
end
$$;

-- The cron sweep: fill every low feed from the library (learners being topped up right now are
-- skipped, not waited for), claim what is still missing and report it, for batching across learners.
-- Plans run one at a time (an advisory lock held to commit), so a concurrent sweep on another instance
-- sees this one's claims and moves on to other learners instead of splitting or repeating its groups.
create function public.fyp_sweep_plan(p_cap int default 2, p_max_learners int default 500) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_claim_id uuid := gen_random_uuid();
  v_user uuid;
  v_fill jsonb;
  v_learners int := 0;
  v_from_library int := 0;
  v_in_progress int := 0;
  v_shortfall jsonb := '[]'::jsonb;
begin
  if p_cap is null or p_cap < 1 or p_max_learners is null or p_max_learners < 1 then
    perform public.raise_app('invalid_request', 'p_cap and p_max_learners must be at least 1.');
  end if;
  -- Key: the first 8 bytes of md5('lessonloom:fyp_sweep_plan'), so it collides with nothing of ours.
  perform pg_catalog.pg_advisory_xact_lock(('x' || left(md5('lessonloom:fyp_sweep_plan'), 16))::bit(64)::bigint);
  -- Expired claims mean nothing any more; dropping them keeps the table as small as the work in flight.
  delete from public.fyp_claims c
   where (c.user_id, c.topic_id) in (
     select e.user_id, e.topic_id from public.fyp_claims e
      where e.claimed_until <= clock_timestamp() for update skip locked);
  for v_user in
    select p.id from public.profiles p
     where exists (
       select 1 from public.topic_follows tf
        where tf.user_id = p.id
          and (select count(*) from public.feed_items fi
                where fi.user_id = p.id and fi.topic_id = tf.topic_id and fi.status = 'pending') < p_cap
          and not exists (
            select 1 from public.fyp_claims c
             where c.user_id = p.id and c.topic_id = tf.topic_id and c.claimed_until > clock_timestamp()))
     order by p.id
     limit p_max_learners
     for update of p skip locked
  loop
    v_fill := public.fyp_fill_locked(v_user, p_cap, v_claim_id);
    v_learners := v_learners + 1;
    v_from_library := v_from_library + (v_fill ->> 'fromLibrary')::int;
    v_in_progress := v_in_progress + (v_fill ->> 'inProgress')::int;
    v_shortfall := v_shortfall || coalesce((
      select jsonb_agg(jsonb_build_object('userId', v_user) || x)
        from jsonb_array_elements(v_fill -> 'shortfall') x), '[]'::jsonb);
  end loop;
  return jsonb_build_object('learnersToppedUp', v_learners, 'fromLibrary', v_from_library, 'shortfall', v_shortfall,
    'inProgress', v_in_progress, 'claimId', case when jsonb_array_length(v_shortfall) > 0 then v_claim_id end);
end
$$;
