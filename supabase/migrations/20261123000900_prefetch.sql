-- Prefetch ("for you" feeds): top-ups from the library, claims on the shortfall so two runs never pay
-- for the same gap, delivery, release and the cron sweep's plan. SECURITY DEFINER, `service_role` only.

-- Fill one learner's low topics from the lesson library and claim what is still missing for p_claim_id,
-- so no other run (another instance's sweep, the learner's own top-up) generates the same shortfall.
-- A topic whose claim another run still holds is left to that run and counted in `inProgress`.
-- Caller holds the learner's profile lock. Claims live 10 minutes: longer than a sweep may run
-- (the route's maxDuration is 300 s), short enough that a crashed instance delays a feed, never blocks it.
create function private.fyp_fill_locked(p_user_id uuid, p_cap int, p_claim_id uuid) returns jsonb
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
       and (l.private_to is null or l.private_to = p_user_id)
       -- Not removed, not held for review, not reported by this learner (*_lesson_reports.sql).
       and l.removed_at is null and l.held_at is null
       and not exists (select 1 from public.lesson_reports r where r.lesson_id = l.id and r.reporter_id = p_user_id)
       and not exists (select 1 from public.feed_items fi where fi.user_id = p_user_id and fi.lesson_id = l.id)
     order by l.created_at, l.id
     limit v_missing
    on conflict do nothing;
    get diagnostics v_added = row_count;
    v_total := v_total + v_added;
    continue when v_added >= v_missing;
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
      -- Shared lessons only: the sweep batches these across learners.
      'avoidTitles', coalesce((select jsonb_agg(x.title) from (
          select l.title from public.lessons l where l.topic_id = f.topic_id and l.private_to is null
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
    perform private.raise_app('invalid_request', 'p_cap must be at least 1.');
  end if;
  -- One top-up per learner at a time, so the per-topic cap holds under concurrency.
  perform 1 from public.profiles p where p.id = p_user_id for update;
  if not found then
    perform private.raise_app('not_found', 'No profile for this user.');
  end if;
  v_fill := private.fyp_fill_locked(p_user_id, p_cap, v_claim_id);
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
    perform private.raise_app('invalid_request', 'p_cap must be at least 1.');
  end if;
  perform 1 from public.profiles p where p.id = p_user_id for update;
  if not found then
    perform private.raise_app('not_found', 'No profile for this user.');
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
    perform private.raise_app('invalid_request', 'p_cap and p_max_learners must be at least 1.');
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
    v_fill := private.fyp_fill_locked(v_user, p_cap, v_claim_id);
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
