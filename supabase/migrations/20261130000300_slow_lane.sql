-- The slow lane (docs/slow-lane.md): background prefetch sent to a provider's Batch API. Every batch
-- is recorded BEFORE it is created at the provider, keyed by a stable submission key, and every chunk
-- id belongs to at most one open batch: a retried job finds its batch instead of creating a second one,
-- and a worker killed between "batch created" and "batch id saved" leaves a row the poller recovers
-- by listing the provider's batches and matching the key in their metadata.

-- How a usage event was billed: an ordinary call, a Batch API line, or a flex-tier call.
create domain public.usage_lane as text check (value in ('fast', 'batch', 'flex'));
alter table public.usage_events add column lane public.usage_lane not null default 'fast';

create table public.slow_lane_batches (
  id uuid primary key default gen_random_uuid(),
  -- Stable for one unit of work (derived from the job), so a retry computes the same key.
  submission_key text not null unique check (length(submission_key) between 1 and 200),
  provider text not null,
  model text not null,
  -- submitting: recorded, the provider's batch may or may not exist yet; submitted: its id is saved;
  -- done: results delivered (or handed to the fast lane), nothing more to do.
  status text not null default 'submitting' check (status in ('submitting', 'submitted', 'done')),
  provider_batch_id text unique,
  input_file_id text,
  provider_status text,
  chunk_ids text[] not null check (cardinality(chunk_ids) between 1 and 50000),
  -- What delivery needs (the group, its learners and claim, the generation request), opaque to SQL.
  payload jsonb not null default '{}'::jsonb,
  -- When the lessons must be in the feeds; a batch still out close to it is handed to the fast lane.
  deadline_at timestamptz not null,
  created_at timestamptz not null default clock_timestamp(),
  submitted_at timestamptz,
  finished_at timestamptz,
  result jsonb
);
create index slow_lane_batches_open_idx on public.slow_lane_batches (created_at) where status <> 'done';

-- One row per chunk of an open or finished batch: a chunk id is submitted once.
create table public.slow_lane_chunks (
  chunk_id text primary key check (length(chunk_id) between 1 and 200),
  batch_id uuid not null references public.slow_lane_batches (id) on delete cascade
);
create index slow_lane_chunks_batch_idx on public.slow_lane_chunks (batch_id);

alter table public.slow_lane_batches enable row level security;
alter table public.slow_lane_chunks enable row level security;
-- No policies: only the definer functions below touch these tables.
grant all on public.slow_lane_batches, public.slow_lane_chunks to service_role;

create function private.slow_lane_json(b public.slow_lane_batches) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', b.id, 'submissionKey', b.submission_key, 'provider', b.provider, 'model', b.model,
    'status', b.status, 'providerBatchId', b.provider_batch_id, 'inputFileId', b.input_file_id,
    'providerStatus', b.provider_status, 'chunkIds', to_jsonb(b.chunk_ids), 'payload', b.payload,
    'deadlineAt', private.iso(b.deadline_at), 'createdAt', private.iso(b.created_at),
    'submittedAt', private.iso(b.submitted_at), 'finishedAt', private.iso(b.finished_at), 'result', b.result)
$$;

-- Records a batch before it is created at the provider. Idempotent: the same key returns the existing
-- row (`created: false`); a chunk already in another batch returns that batch instead of a new one.
create function public.slow_lane_record(
  p_key text, p_provider text, p_model text, p_chunk_ids jsonb, p_payload jsonb, p_deadline timestamptz
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  b public.slow_lane_batches;
  v_other uuid;
  v_chunks text[];
begin
  if jsonb_typeof(p_chunk_ids) = 'array' then
    select array_agg(x) into v_chunks from jsonb_array_elements_text(p_chunk_ids) x;
  end if;
  if p_key is null or p_provider is null or p_model is null or p_deadline is null
     or v_chunks is null or cardinality(v_chunks) = 0 then
    perform private.raise_app('invalid_request', 'A slow-lane batch needs a key, a provider, a model, chunks and a deadline.');
  end if;
  -- One writer per key at a time (two retries of one job racing).
  perform pg_advisory_xact_lock(hashtext('slow_lane:' || p_key));
  select * into b from public.slow_lane_batches where submission_key = p_key;
  if found then
    return jsonb_build_object('created', false, 'batch', private.slow_lane_json(b));
  end if;
  select c.batch_id into v_other from public.slow_lane_chunks c where c.chunk_id = any(v_chunks) limit 1;
  if v_other is not null then
    select * into b from public.slow_lane_batches where id = v_other;
    return jsonb_build_object('created', false, 'batch', private.slow_lane_json(b));
  end if;
  insert into public.slow_lane_batches (submission_key, provider, model, chunk_ids, payload, deadline_at)
  values (p_key, p_provider, p_model, v_chunks, coalesce(p_payload, '{}'::jsonb), p_deadline)
  returning * into b;
  insert into public.slow_lane_chunks (chunk_id, batch_id) select unnest(v_chunks), b.id;
  return jsonb_build_object('created', true, 'batch', private.slow_lane_json(b));
exception
  when unique_violation then
    -- A concurrent writer with other chunk ids took one of ours first.
    select b2.* into b from public.slow_lane_chunks c join public.slow_lane_batches b2 on b2.id = c.batch_id
    where c.chunk_id = any(v_chunks) limit 1;
    return jsonb_build_object('created', false, 'batch', private.slow_lane_json(b));
end
$$;

-- Saves the provider's batch id (after create, or when the poller recovered it from the metadata).
-- A row that already has a different batch id keeps it: the first one saved is the batch of record.
create function public.slow_lane_set_batch(p_id uuid, p_provider_batch_id text, p_input_file_id text, p_provider_status text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  b public.slow_lane_batches;
begin
  if p_id is null or p_provider_batch_id is null then
    perform private.raise_app('invalid_request', 'A batch id is required.');
  end if;
  update public.slow_lane_batches
  set provider_batch_id = coalesce(provider_batch_id, p_provider_batch_id),
      input_file_id = coalesce(input_file_id, p_input_file_id),
      provider_status = coalesce(p_provider_status, provider_status),
      status = case when status = 'submitting' then 'submitted' else status end,
      submitted_at = coalesce(submitted_at, clock_timestamp())
  where id = p_id
  returning * into b;
  if not found then
    perform private.raise_app('not_found', 'No such slow-lane batch.');
  end if;
  return private.slow_lane_json(b);
end
$$;

-- The batches still to poll (submitted) or to recover (submitting), oldest first.
create function public.slow_lane_open(p_limit int default 100) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(private.slow_lane_json(b) order by b.created_at), '[]'::jsonb)
  from (select * from public.slow_lane_batches where status <> 'done' order by created_at limit greatest(1, least(coalesce(p_limit, 100), 1000))) b
$$;

-- Closes a batch once its results are delivered; only the first caller wins (`finished: true`).
create function public.slow_lane_finish(p_id uuid, p_provider_status text, p_result jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_done boolean;
begin
  update public.slow_lane_batches
  set status = 'done', provider_status = coalesce(p_provider_status, provider_status), result = p_result, finished_at = clock_timestamp()
  where id = p_id and status <> 'done';
  v_done := found;
  return jsonb_build_object('finished', v_done);
end
$$;

grant execute on function
  public.slow_lane_record(text, text, text, jsonb, jsonb, timestamptz),
  public.slow_lane_set_batch(uuid, text, text, text),
  public.slow_lane_open(int),
  public.slow_lane_finish(uuid, text, jsonb)
to service_role;

-- The dashboard's lane split (admins): spend, calls and lessons per lane and provider over a range of
-- UTC days (from usage_events), and the slow-lane batches still in flight with their age.
create function public.admin_usage_lanes(p_from date, p_to date) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  perform private.check_day_range(p_from, p_to);
  return jsonb_build_object(
    'lanes', (
      select coalesce(jsonb_agg(jsonb_build_object('lane', l.lane, 'provider', l.provider, 'calls', l.calls,
                                                   'lessonsValid', l.lessons, 'costUsd', round(l.cost, 8)::float8)
                                order by l.lane, l.provider), '[]'::jsonb)
      from (select e.lane, e.provider, count(*)::int as calls, coalesce(sum(e.lessons_valid), 0)::int as lessons, coalesce(sum(e.cost_usd), 0) as cost
              from public.usage_events e
             where e.created_at >= (p_from::timestamp at time zone 'UTC')
               and e.created_at < ((p_to + 1)::timestamp at time zone 'UTC')
             group by e.lane, e.provider) l),
    'inFlight', (
      select coalesce(jsonb_agg(jsonb_build_object('id', b.id, 'submissionKey', b.submission_key, 'provider', b.provider,
                                                   'status', b.status, 'providerStatus', b.provider_status,
                                                   'lines', cardinality(b.chunk_ids),
                                                   'ageSeconds', floor(extract(epoch from clock_timestamp() - b.created_at))::int,
                                                   'deadlineAt', private.iso(b.deadline_at))
                                order by b.created_at), '[]'::jsonb)
      from (select * from public.slow_lane_batches where status <> 'done' order by created_at limit 50) b));
end
$$;

grant execute on function public.admin_usage_lanes(date, date) to authenticated;

-- The horizon planner's view of demand (service only): per followed (topic, difficulty), how fast its
-- fastest follower read it over the last p_window_hours (lessons seen), what that follower still has
-- to read (pending in the feed + unseen public lessons in the library), and the lessons already in
-- open slow-lane batches. The busiest topics first.
create function public.slow_lane_horizon(p_window_hours int default 24, p_limit int default 200) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  with reads as (
    select f.topic_id, f.difficulty, f.user_id,
           (select count(*) from public.feed_items fi
             where fi.user_id = f.user_id and fi.topic_id = f.topic_id and fi.status = 'seen'
               and fi.seen_at > now() - make_interval(hours => greatest(1, least(coalesce(p_window_hours, 24), 168)))) as seen,
           (select count(*) from public.feed_items fi
             where fi.user_id = f.user_id and fi.topic_id = f.topic_id and fi.status = 'pending')
           + (select count(*) from public.lessons l
               where l.topic_id = f.topic_id and l.difficulty = f.difficulty and l.private_to is null
                 and not exists (select 1 from public.feed_items fi where fi.user_id = f.user_id and fi.lesson_id = l.id)) as stock
      from public.topic_follows f
  ),
  leaders as (
    select distinct on (r.topic_id, r.difficulty) r.topic_id, r.difficulty, r.seen, r.stock,
           count(*) over (partition by r.topic_id, r.difficulty) as followers
      from reads r
     order by r.topic_id, r.difficulty, r.seen desc, r.stock
  ),
  in_flight as (
    select b.payload -> 'group' ->> 'topicId' as topic_id, b.payload -> 'group' ->> 'difficulty' as difficulty,
           sum((select coalesce(sum(jsonb_array_length(c -> 'slots')), 0) from jsonb_array_elements(b.payload -> 'chunks') c))::int as lessons
      from public.slow_lane_batches b
     where b.status <> 'done'
     group by 1, 2
  )
  select coalesce(jsonb_agg(x.j order by x.followers desc, x.topic_id), '[]'::jsonb)
    from (
      select l.followers, l.topic_id,
             jsonb_build_object(
               'topicId', l.topic_id, 'difficulty', l.difficulty, 'subject', s.name, 'topic', t.name,
               'followers', l.followers, 'seenInWindow', l.seen, 'stock', l.stock,
               'inSlowLane', coalesce(i.lessons, 0),
               'avoidTitles', coalesce((select jsonb_agg(z.title) from (
                   select le.title from public.lessons le
                    where le.topic_id = l.topic_id and le.difficulty = l.difficulty and le.private_to is null
                    order by le.created_at desc limit 60) z), '[]'::jsonb)) as j
        from leaders l
        join public.topics t on t.id = l.topic_id
        join public.subjects s on s.id = t.subject_id
        left join in_flight i on i.topic_id = l.topic_id::text and i.difficulty = l.difficulty::text
       order by l.followers desc, l.topic_id
       limit greatest(1, least(coalesce(p_limit, 200), 5000))) x
$$;

grant execute on function public.slow_lane_horizon(int, int) to service_role;
