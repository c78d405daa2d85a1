-- Usage: the daily rollups kept by a statement-level trigger on usage_events, and the server's insert.
-- insert_usage_events is SECURITY DEFINER for `service_role` only; the trigger function is private.

create function private.latency_bucket(p_ms int) returns int
language sql immutable
set search_path = ''
as $$
  select case when p_ms is null or p_ms <= 1 then 0 else floor(ln(p_ms) / ln(1.05))::int end
$$;

create function private.usage_daily_rollup() returns trigger
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

create trigger usage_events_rollup
  after insert on public.usage_events
  referencing new table as new_rows
  for each statement execute function private.usage_daily_rollup();

create function public.insert_usage_events(p_events jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_inserted int;
begin
  if p_events is null or jsonb_typeof(p_events) <> 'array' then
    perform private.raise_app('invalid_request', 'p_events must be an array.');
  end if;
  insert into public.usage_events (
    id, created_at, request_id, user_id, feature, mode, provider, model, attempt, lessons_asked,
    lessons_valid, prompt_tokens, cached_tokens, completion_tokens, latency_ms, ttft_ms, http_status,
    finish_reason, error_code, cost_usd, counterfactual_prompt_tokens, counterfactual_cost_usd,
    price_version, circuit_open, input_usd, cached_usd, output_usd, lane)
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
         coalesce((e ->> 'circuitOpen')::boolean, false),
         coalesce((e ->> 'inputUsd')::numeric, 0), coalesce((e ->> 'cachedUsd')::numeric, 0),
         coalesce((e ->> 'outputUsd')::numeric, 0),
         coalesce(e ->> 'lane', 'fast') -- the column comes with the slow lane's migration
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
