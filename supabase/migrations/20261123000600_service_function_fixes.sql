-- Follow-ups to the service functions (migrations already applied are never edited):
-- * save_generated_lessons returns lessons in the caller's input order, not slot order, so a streaming
--   caller that saves slot 3 before slot 1 can match records by position;
-- * reserve_quota first releases the learner's reservations left "held" for over 30 minutes by a
--   server that crashed before settling (the check-and-reserve itself is still one statement).

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

create or replace function public.reserve_quota(p_user_id uuid, p_lessons int, p_request_id uuid default null)
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
           coalesce((select sum(u.cost_usd) from public.usage_daily u
                      where u.user_id = p_user_id and u.day >= date_trunc('month', v_today)::date), 0) as spent
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
