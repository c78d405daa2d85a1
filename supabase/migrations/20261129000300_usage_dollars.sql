-- Dollars, not tokens (docs/cost-model.md): every usage event stores its bill split into uncached
-- input, cached input and output dollars; the daily rollup sums them; the saving is counterfactual −
-- cost over every row that carries a counterfactual (batch calls, their repairs and failed attempts),
-- no longer clamped at zero nor limited to batch rows. admin_usage_savings serves the dashboard's
-- "Saved by batching" figure per generation request, straight from usage_events.

alter table public.usage_events
  add column input_usd numeric(14, 8) not null default 0,
  add column cached_usd numeric(14, 8) not null default 0,
  add column output_usd numeric(14, 8) not null default 0;

alter table public.usage_daily
  add column input_usd numeric(18, 8) not null default 0,
  add column cached_usd numeric(18, 8) not null default 0,
  add column output_usd numeric(18, 8) not null default 0;

create or replace function public.insert_usage_events(p_events jsonb) returns jsonb
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
    price_version, circuit_open, input_usd, cached_usd, output_usd)
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
         coalesce((e ->> 'outputUsd')::numeric, 0)
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

create or replace function public.usage_daily_rollup() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.usage_daily as d (
    day, model, mode, feature, user_id, calls, failed_calls, lessons_asked, lessons_valid,
    prompt_tokens, cached_tokens, completion_tokens, cost_usd, saved_usd, saved_prompt_tokens, latency_ms_sum,
    input_usd, cached_usd, output_usd)
  select (n.created_at at time zone 'UTC')::date, n.model, n.mode, n.feature, n.user_id,
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
  group by 1, 2, 3, 4, 5
  on conflict (day, model, mode, feature, user_id) do update set
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

  insert into public.usage_daily_failures as f (day, error_code, calls)
  select (n.created_at at time zone 'UTC')::date, n.error_code, count(*)
  from new_rows n where n.error_code is not null
  group by 1, 2
  on conflict (day, error_code) do update set calls = f.calls + excluded.calls;

  insert into public.usage_daily_latency as l (day, mode, bucket, calls, latency_ms_sum)
  select (n.created_at at time zone 'UTC')::date, n.mode, public.latency_bucket(n.latency_ms), count(*), sum(n.latency_ms)
  from new_rows n
  group by 1, 2, 3
  on conflict (day, mode, bucket) do update set
    calls = l.calls + excluded.calls,
    latency_ms_sum = l.latency_ms_sum + excluded.latency_ms_sum;
  return null;
end
$$;

-- Where the money went, as dashboard JSON (added to every totals object of admin_usage).
create function public.usage_money(input numeric, cached numeric, output numeric) returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object('inputUsd', round(coalesce(input, 0), 6)::float8,
    'cachedUsd', round(coalesce(cached, 0), 6)::float8, 'outputUsd', round(coalesce(output, 0), 6)::float8)
$$;

create or replace function public.admin_usage(p_from date, p_to date, p_group_by text default 'day') returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_group text := coalesce(p_group_by, 'day');
  v_totals jsonb;
  v_groups jsonb;
  v_failures jsonb;
  v_latency jsonb;
begin
  perform public.require_admin();
  perform public.check_day_range(p_from, p_to);
  if v_group not in ('day', 'model', 'mode', 'feature', 'user') then
    perform public.raise_app('invalid_request', 'groupBy must be day, model, mode, feature or user.');
  end if;

  select public.usage_totals(sum(u.calls), sum(u.failed_calls), sum(u.lessons_asked), sum(u.lessons_valid),
           sum(u.lessons_valid) filter (where u.mode = 'repair'), sum(u.prompt_tokens), sum(u.cached_tokens),
           sum(u.completion_tokens), sum(u.cost_usd), sum(u.saved_usd), sum(u.saved_prompt_tokens))
           || public.usage_money(sum(u.input_usd), sum(u.cached_usd), sum(u.output_usd))
    into v_totals
    from public.usage_daily u where u.day between p_from and p_to;

  select coalesce(jsonb_agg(g.j order by g.sort_key, g.key), '[]'::jsonb) into v_groups
  from (
    select k.key,
           case when v_group = 'day' then k.key else lpad(to_char(1e12 - sum(u.cost_usd) * 1e6, 'FM0000000000000'), 14, '0') end as sort_key,
           jsonb_build_object('key', k.key, 'label', max(k.label)) ||
           public.usage_totals(sum(u.calls), sum(u.failed_calls), sum(u.lessons_asked), sum(u.lessons_valid),
             sum(u.lessons_valid) filter (where u.mode = 'repair'), sum(u.prompt_tokens), sum(u.cached_tokens),
             sum(u.completion_tokens), sum(u.cost_usd), sum(u.saved_usd), sum(u.saved_prompt_tokens))
           || public.usage_money(sum(u.input_usd), sum(u.cached_usd), sum(u.output_usd)) as j
      from public.usage_daily u
      left join public.profiles p on p.id = u.user_id
      cross join lateral (select
        case v_group when 'day' then to_char(u.day, 'YYYY-MM-DD') when 'model' then u.model
                     when 'mode' then u.mode when 'feature' then u.feature
                     else coalesce(u.user_id::text, 'none') end as key,
        case v_group when 'user' then coalesce(p.email, case when u.user_id is null then 'no user' else 'deleted user' end)
                     when 'day' then to_char(u.day, 'YYYY-MM-DD') when 'model' then u.model
                     when 'mode' then u.mode else u.feature end as label) k
     where u.day between p_from and p_to
     group by k.key
  ) g;

  select coalesce(jsonb_object_agg(x.error_code, x.n), '{}'::jsonb) into v_failures
    from (select f.error_code, sum(f.calls) as n from public.usage_daily_failures f
           where f.day between p_from and p_to
           group by f.error_code) x;

  select coalesce(jsonb_agg(jsonb_build_object('mode', x.mode, 'p50Ms', x.p50, 'p95Ms', x.p95, 'calls', x.n)
                            order by x.mode), '[]'::jsonb) into v_latency
    from (select h.mode, max(h.total) as n,
                 round(min(h.mean) filter (where h.cum >= 0.5 * h.total))::int as p50,
                 round(min(h.mean) filter (where h.cum >= 0.95 * h.total))::int as p95
            from (select b.mode, b.mean,
                         sum(b.calls) over (partition by b.mode order by b.bucket) as cum,
                         sum(b.calls) over (partition by b.mode) as total
                    from (select l.mode, l.bucket, sum(l.calls) as calls,
                                 sum(l.latency_ms_sum)::numeric / nullif(sum(l.calls), 0) as mean
                            from public.usage_daily_latency l
                           where l.day between p_from and p_to
                           group by l.mode, l.bucket) b) h
           group by h.mode) x;

  return jsonb_build_object('from', to_char(p_from, 'YYYY-MM-DD'), 'to', to_char(p_to, 'YYYY-MM-DD'),
    'timezone', 'UTC', 'groupBy', v_group, 'totals', v_totals, 'groups', v_groups,
    'failuresByCode', v_failures, 'latency', v_latency);
end
$$;

create or replace function public.usage_event_json(e public.usage_events) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', e.id, 'createdAt', public.iso(e.created_at), 'requestId', e.request_id, 'userId', e.user_id,
    'feature', e.feature, 'mode', e.mode, 'provider', e.provider, 'model', e.model, 'attempt', e.attempt,
    'lessonsAsked', e.lessons_asked, 'lessonsValid', e.lessons_valid, 'promptTokens', e.prompt_tokens,
    'cachedTokens', e.cached_tokens, 'completionTokens', e.completion_tokens, 'latencyMs', e.latency_ms,
    'ttftMs', e.ttft_ms, 'httpStatus', e.http_status, 'finishReason', e.finish_reason,
    'errorCode', e.error_code, 'costUsd', e.cost_usd::float8, 'inputUsd', e.input_usd::float8,
    'cachedUsd', e.cached_usd::float8, 'outputUsd', e.output_usd::float8,
    'counterfactualPromptTokens', e.counterfactual_prompt_tokens,
    'counterfactualCostUsd', e.counterfactual_cost_usd::float8, 'priceVersion', e.price_version,
    'circuitOpen', e.circuit_open)
$$;

-- The saving of each generation request in a range of UTC days, summed from usage_events (not the
-- rollup): the check that the dashboard's figure is the sum of per-request savings reads this.
create function public.admin_usage_savings(p_from date, p_to date) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform public.require_admin();
  perform public.check_day_range(p_from, p_to);
  return (
    select jsonb_build_object(
      'savedUsd', round(coalesce(sum(r.saved), 0), 6)::float8,
      'requests', count(*) filter (where r.request_id is not null),
      'byRequest', coalesce(jsonb_agg(jsonb_build_object('requestId', r.request_id, 'savedUsd', round(r.saved, 8)::float8,
                                                         'costUsd', round(r.cost, 8)::float8)
                                      order by r.request_id) filter (where r.request_id is not null), '[]'::jsonb))
    from (select e.request_id,
                 coalesce(sum(e.counterfactual_cost_usd - e.cost_usd) filter (where e.counterfactual_cost_usd is not null), 0) as saved,
                 sum(e.cost_usd) as cost
            from public.usage_events e
           where e.created_at >= (p_from::timestamp at time zone 'UTC')
             and e.created_at < ((p_to + 1)::timestamp at time zone 'UTC')
           group by e.request_id) r);
end
$$;

revoke execute on function public.usage_money(numeric, numeric, numeric) from public, anon, authenticated;
grant execute on function public.admin_usage_savings(date, date) to authenticated;
