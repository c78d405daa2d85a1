-- Prefetch ("for you" feeds): top-ups from the library, delivery and the cron sweep's plan.
-- SECURITY DEFINER, `service_role` only. Nothing here claims work: two runs never generate the same gap
-- because the job engine holds at most one queued-or-running job per (topic, difficulty) group and per
-- learner's top-up (singleton keys, lib/jobs/queues.ts), and every generation job fills from the
-- library before it generates, so lessons an earlier attempt saved are delivered, not paid for again.

-- Adds up to p_missing library lessons of (topic, difficulty) the learner has never had to their feed.
-- Shared lessons, plus the learner's own private ones. Caller holds the learner's profile lock.
create function private.fyp_fill_topic(p_user_id uuid, p_topic_id uuid, p_difficulty text, p_missing int) returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_added int;
begin
  if p_missing <= 0 then
    return 0;
  end if;
  insert into public.feed_items (user_id, lesson_id, topic_id)
  select p_user_id, l.id, l.topic_id
    from public.lessons l
   where l.topic_id = p_topic_id and l.difficulty = p_difficulty
     and (l.private_to is null or l.private_to = p_user_id)
     -- Not removed, not held for review, not reported by this learner (*_lesson_reports.sql).
     and l.removed_at is null and l.held_at is null
     and not exists (select 1 from public.lesson_reports r where r.lesson_id = l.id and r.reporter_id = p_user_id)
     and not exists (select 1 from public.feed_items fi where fi.user_id = p_user_id and fi.lesson_id = l.id)
   order by l.created_at, l.id
   limit p_missing
  on conflict do nothing;
  get diagnostics v_added = row_count;
  return v_added;
end
$$;

-- Fill one learner's low topics from the lesson library and report what is still missing per topic.
-- Caller holds the learner's profile lock.
create function private.fyp_fill_locked(p_user_id uuid, p_cap int) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  f record;
  v_missing int;
  v_added int;
  v_total int := 0;
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
    v_added := private.fyp_fill_topic(p_user_id, f.topic_id, f.difficulty, v_missing);
    v_total := v_total + v_added;
    continue when v_added >= v_missing;
    v_shortfall := v_shortfall || jsonb_build_array(jsonb_build_object(
      'topicId', f.topic_id, 'subjectName', f.subject_name, 'topicName', f.topic_name,
      'difficulty', f.difficulty, 'missing', v_missing - v_added,
      -- Shared lessons only: the sweep batches these across learners.
      'avoidTitles', coalesce((select jsonb_agg(x.title) from (
          select l.title from public.lessons l where l.topic_id = f.topic_id and l.private_to is null
           order by l.created_at desc limit 50) x), '[]'::jsonb)));
  end loop;
  return jsonb_build_object('fromLibrary', v_total, 'shortfall', v_shortfall);
end
$$;

create function public.fyp_fill_from_library(p_user_id uuid, p_cap int default 2) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_cap is null or p_cap < 1 then
    perform private.raise_app('invalid_request', 'p_cap must be at least 1.');
  end if;
  -- One top-up per learner at a time, so the per-topic cap holds under concurrency.
  perform 1 from public.profiles p where p.id = p_user_id for update;
  if not found then
    perform private.raise_app('not_found', 'No profile for this user.');
  end if;
  return private.fyp_fill_locked(p_user_id, p_cap);
end
$$;

-- One (topic, difficulty) group's learners filled from the library: every learner who follows the topic
-- at that difficulty and has fewer than p_cap pending on it (or only those in p_user_ids), locked in id
-- order so concurrent group fills never deadlock. A generation job calls it before generating (what an
-- earlier attempt saved is delivered, and `missing` is what is still to generate) and after (delivery).
create function public.fyp_fill_group(p_topic_id uuid, p_difficulty text, p_cap int default 2, p_user_ids uuid[] default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_missing int;
  v_added int;
  v_learners int := 0;
  v_total int := 0;
  v_max_missing int := 0;
  v_short int := 0;
begin
  if p_cap is null or p_cap < 1 then
    perform private.raise_app('invalid_request', 'p_cap must be at least 1.');
  end if;
  for r in
    select p.id,
           (select count(*) from public.feed_items fi
             where fi.user_id = p.id and fi.topic_id = p_topic_id and fi.status = 'pending') as pending
      from public.profiles p
      join public.topic_follows tf on tf.user_id = p.id and tf.topic_id = p_topic_id and tf.difficulty = p_difficulty
     where (p_user_ids is null or p.id = any(p_user_ids))
     order by p.id
       for update of p
  loop
    v_missing := p_cap - r.pending;
    continue when v_missing <= 0;
    v_learners := v_learners + 1;
    v_added := private.fyp_fill_topic(r.id, p_topic_id, p_difficulty, v_missing);
    v_total := v_total + v_added;
    if v_added < v_missing then
      v_short := v_short + 1;
      v_max_missing := greatest(v_max_missing, v_missing - v_added);
    end if;
  end loop;
  return jsonb_build_object('learners', v_learners, 'fromLibrary', v_total, 'short', v_short, 'missing', v_max_missing);
end
$$;

-- Delivers generated lessons into one learner's feed, never past the cap per topic.
create function public.fyp_deliver(p_user_id uuid, p_lesson_ids uuid[], p_cap int default 2)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_lesson record;
  v_delivered int := 0;
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
  return jsonb_build_object('delivered', v_delivered);
end
$$;

-- The cron sweep's plan: fill every low feed from the library (learners being topped up right now are
-- skipped, not waited for) and report what is still missing, for batching across learners per
-- (topic, difficulty). Plans run one at a time (an advisory lock held to commit).
create function public.fyp_sweep_plan(p_cap int default 2, p_max_learners int default 500) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user uuid;
  v_fill jsonb;
  v_learners int := 0;
  v_from_library int := 0;
  v_shortfall jsonb := '[]'::jsonb;
begin
  if p_cap is null or p_cap < 1 or p_max_learners is null or p_max_learners < 1 then
    perform private.raise_app('invalid_request', 'p_cap and p_max_learners must be at least 1.');
  end if;
  -- Key: the first 8 bytes of md5('lessonloom:fyp_sweep_plan'), so it collides with nothing of ours.
  perform pg_catalog.pg_advisory_xact_lock(('x' || left(md5('lessonloom:fyp_sweep_plan'), 16))::bit(64)::bigint);
  for v_user in
    select p.id from public.profiles p
     where exists (
       select 1 from public.topic_follows tf
        where tf.user_id = p.id
          and (select count(*) from public.feed_items fi
                where fi.user_id = p.id and fi.topic_id = tf.topic_id and fi.status = 'pending') < p_cap)
     order by p.id
     limit p_max_learners
     for update of p skip locked
  loop
    v_fill := private.fyp_fill_locked(v_user, p_cap);
    v_learners := v_learners + 1;
    v_from_library := v_from_library + (v_fill ->> 'fromLibrary')::int;
    v_shortfall := v_shortfall || coalesce((
      select jsonb_agg(jsonb_build_object('userId', v_user) || x)
        from jsonb_array_elements(v_fill -> 'shortfall') x), '[]'::jsonb);
  end loop;
  return jsonb_build_object('learnersToppedUp', v_learners, 'fromLibrary', v_from_library, 'shortfall', v_shortfall);
end
$$;
