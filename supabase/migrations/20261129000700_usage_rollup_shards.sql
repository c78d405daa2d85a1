-- Usage rollups in shards: each usage insert used to add into the same per-day rollup rows, so every
-- concurrent writer queued on one row lock until the one before it committed. The rollups now carry a
-- shard (0–7) taken from the event id, so concurrent inserts touch different rows; every reader already
-- sums its rows (admin_usage, admin_top_users, month_spend_usd), so a shard is just one more row to add.
-- The deployment spend rollup (spend_days) takes its shard from the event id too, instead of random(),
-- so a writer's rows are predictable and two writers of different shards never meet.

alter table public.usage_daily add column shard smallint not null default 0 check (shard between 0 and 7);
drop index public.usage_daily_key;
create unique index usage_daily_key on public.usage_daily (day, model, mode, feature, user_id, shard) nulls not distinct;

alter table public.usage_daily_failures add column shard smallint not null default 0 check (shard between 0 and 7);
alter table public.usage_daily_failures drop constraint usage_daily_failures_pkey;
alter table public.usage_daily_failures add primary key (day, error_code, shard);

alter table public.usage_daily_latency add column shard smallint not null default 0 check (shard between 0 and 7);
alter table public.usage_daily_latency drop constraint usage_daily_latency_pkey;
alter table public.usage_daily_latency add primary key (day, mode, bucket, shard);

-- The shard of an event: the low bits of its id's last byte (ids are random UUIDs, so shards are even).
-- Inlined below as get_byte(uuid_send(id), 15) & 7 (usage rollups) and & 15 (spend_days).

create or replace function private.usage_daily_rollup() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.usage_daily as d (
    day, model, mode, feature, user_id, shard, calls, failed_calls, lessons_asked, lessons_valid,
    prompt_tokens, cached_tokens, completion_tokens, cost_usd, saved_usd, saved_prompt_tokens, latency_ms_sum,
    input_usd, cached_usd, output_usd)
  select (n.created_at at time zone 'UTC')::date, n.model, n.mode, n.feature, n.user_id,
         (get_byte(uuid_send(n.id), 15) & 7)::smallint,
         count(*), count(*) filter (where n.error_code is not null),
         sum(n.lessons_asked), sum(n.lessons_valid),
         sum(n.prompt_tokens), sum(n.cached_tokens), sum(n.completion_tokens),
         sum(n.cost_usd),
         -- The honest saving (docs/cost-model.md): counterfactual − cost on every row that carries a
         -- counterfactual (batch calls, their repairs and failed attempts), never clamped at zero.
         coalesce(sum(n.counterfactual_cost_usd - n.cost_usd) filter (where n.counterfactual_cost_usd is not null), 0),
         coalesce(sum(n.counterfactual_prompt_tokens - n.prompt_tokens) filter (where n.counterfactual_prompt_tokens is not null), 0),
         sum(n.latency_ms),
         sum(n.input_usd), sum(n.cached_usd), sum(n.output_usd)
  from new_rows n
  group by 1, 2, 3, 4, 5, 6
  on conflict (day, model, mode, feature, user_id, shard) do update set
    calls = d.calls + excluded.calls,
    failed_calls = d.failed_calls + excluded.failed_calls,
    lessons_asked = d.lessons_asked + excluded.lessons_asked,
    lessons_valid = d.lessons_valid + excluded.lessons_valid,
    prompt_tokens = d.prompt_tokens + excluded.prompt_tokens,
    cached_tokens = d.cached_tokens + excluded.cached_tokens,
    completion_tokens = d.completion_tokens + excluded.completion_tokens,
    cost_usd = d.cost_usd + excluded.cost_usd,
    saved_usd = d.saved_usd + excluded.saved_usd,
    saved_prompt_tokens = d.saved_prompt_tokens + excluded.saved_prompt_tokens,
    latency_ms_sum = d.latency_ms_sum + excluded.latency_ms_sum,
    input_usd = d.input_usd + excluded.input_usd,
    cached_usd = d.cached_usd + excluded.cached_usd,
    output_usd = d.output_usd + excluded.output_usd;

  insert into public.usage_daily_failures as f (day, error_code, shard, calls)
  select (n.created_at at time zone 'UTC')::date, n.error_code, (get_byte(uuid_send(n.id), 15) & 7)::smallint, count(*)
  from new_rows n where n.error_code is not null
  group by 1, 2, 3
  on conflict (day, error_code, shard) do update set calls = f.calls + excluded.calls;

  insert into public.usage_daily_latency as l (day, mode, bucket, shard, calls, latency_ms_sum)
  select (n.created_at at time zone 'UTC')::date, n.mode, private.latency_bucket(n.latency_ms),
         (get_byte(uuid_send(n.id), 15) & 7)::smallint, count(*), sum(n.latency_ms)
  from new_rows n
  group by 1, 2, 3, 4
  on conflict (day, mode, bucket, shard) do update set
    calls = l.calls + excluded.calls,
    latency_ms_sum = l.latency_ms_sum + excluded.latency_ms_sum;
  return null;
end
$$;

create or replace function private.spend_days_rollup() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.spend_days as s (day, shard, calls, cost_usd)
  select (n.created_at at time zone 'UTC')::date, (get_byte(uuid_send(n.id), 15) & 15)::smallint, count(*), sum(n.cost_usd)
    from new_rows n
   group by 1, 2
  on conflict (day, shard) do update set calls = s.calls + excluded.calls, cost_usd = s.cost_usd + excluded.cost_usd;
  return null;
end
$$;
