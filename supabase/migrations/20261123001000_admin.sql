-- Admin functions: granted to `authenticated`, SECURITY DEFINER, refuse non-admins with `forbidden`.
-- Aggregates, failures by code and latency percentiles all come from the daily rollups, so the
-- dashboard's cost does not grow with the number of usage events.

create function private.require_admin() returns void
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  if not private.is_admin() then
    raise exception using errcode = 'P0001', message = 'forbidden', detail = 'Admins only.';
  end if;
end
$$;

create function private.check_day_range(p_from date, p_to date) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_from is null or p_to is null or p_from > p_to then
    perform private.raise_app('invalid_request', 'from must be on or before to.');
  end if;
  if p_to - p_from > 366 then
    perform private.raise_app('invalid_request', 'The range may span at most 366 days.');
  end if;
end
$$;

-- Totals over a set of rollup rows: the one definition of every dashboard number.
-- counterfactualCostUsd = what the same lessons would have cost without batching (cost + saved).
-- fallbackShare = share of valid lessons that came from repair (fallback) calls.
create function private.usage_totals(
  calls numeric, failed numeric, asked numeric, valid numeric, valid_repair numeric, prompt numeric,
  cached numeric, completion numeric, cost numeric, saved numeric, saved_prompt numeric)
returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'calls', coalesce(calls, 0)::bigint, 'failedCalls', coalesce(failed, 0)::bigint,
    'lessonsAsked', coalesce(asked, 0)::bigint, 'lessonsValid', coalesce(valid, 0)::bigint,
    'promptTokens', coalesce(prompt, 0)::bigint, 'cachedTokens', coalesce(cached, 0)::bigint,
    'completionTokens', coalesce(completion, 0)::bigint,
    'costUsd', round(coalesce(cost, 0), 6)::float8,
    'counterfactualCostUsd', round(coalesce(cost, 0) + coalesce(saved, 0), 6)::float8,
    'savedUsd', round(coalesce(saved, 0), 6)::float8,
    'savedPromptTokens', coalesce(saved_prompt, 0)::bigint,
    'fallbackShare', case when coalesce(valid, 0) = 0 then 0
                          else round(coalesce(valid_repair, 0) / valid, 4)::float8 end)
$$;

create function public.admin_usage(p_from date, p_to date, p_group_by text default 'day') returns jsonb
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
  perform private.require_admin();
  perform private.check_day_range(p_from, p_to);
  if v_group not in ('day', 'model', 'mode', 'feature', 'user') then
    perform private.raise_app('invalid_request', 'groupBy must be day, model, mode, feature or user.');
  end if;

  select private.usage_totals(sum(u.calls), sum(u.failed_calls), sum(u.lessons_asked), sum(u.lessons_valid),
           sum(u.lessons_valid) filter (where u.mode = 'repair'), sum(u.prompt_tokens), sum(u.cached_tokens),
           sum(u.completion_tokens), sum(u.cost_usd), sum(u.saved_usd), sum(u.saved_prompt_tokens))
           || private.usage_money(sum(u.input_usd), sum(u.cached_usd), sum(u.output_usd))
    into v_totals
    from public.usage_daily u where u.day between p_from and p_to;

  select coalesce(jsonb_agg(g.j order by g.sort_key, g.key), '[]'::jsonb) into v_groups
  from (
    select k.key,
           case when v_group = 'day' then k.key else lpad(to_char(1e12 - sum(u.cost_usd) * 1e6, 'FM0000000000000'), 14, '0') end as sort_key,
           jsonb_build_object('key', k.key, 'label', max(k.label)) ||
           private.usage_totals(sum(u.calls), sum(u.failed_calls), sum(u.lessons_asked), sum(u.lessons_valid),
             sum(u.lessons_valid) filter (where u.mode = 'repair'), sum(u.prompt_tokens), sum(u.cached_tokens),
             sum(u.completion_tokens), sum(u.cost_usd), sum(u.saved_usd), sum(u.saved_prompt_tokens))
           || private.usage_money(sum(u.input_usd), sum(u.cached_usd), sum(u.output_usd)) as j
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

create function private.usage_event_json(e public.usage_events) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', e.id, 'createdAt', private.iso(e.created_at), 'requestId', e.request_id, 'userId', e.user_id,
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

create function public.admin_usage_events(
  p_from timestamptz, p_to timestamptz, p_feature text default null, p_mode text default null,
  p_model text default null, p_errors_only boolean default false, p_limit int default 100)
returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  if p_from is null or p_to is null or p_from > p_to then
    perform private.raise_app('invalid_request', 'from must be on or before to.');
  end if;
  return jsonb_build_object('events', coalesce((
    select jsonb_agg(private.usage_event_json(e) || jsonb_build_object('userEmail', p.email)
                     order by e.created_at desc, e.id)
      from (select * from public.usage_events e
             where e.created_at >= p_from and e.created_at <= p_to
               and (p_feature is null or e.feature = p_feature)
               and (p_mode is null or e.mode = p_mode)
               and (p_model is null or e.model = p_model)
               and (not coalesce(p_errors_only, false) or e.error_code is not null)
             order by e.created_at desc, e.id
             limit least(greatest(coalesce(p_limit, 100), 1), 1000)) e
      left join public.profiles p on p.id = e.user_id), '[]'::jsonb));
end
$$;

create function public.admin_top_users(p_from date, p_to date, p_limit int default 10) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  perform private.check_day_range(p_from, p_to);
  return jsonb_build_object('users', coalesce((
    select jsonb_agg(jsonb_build_object('userId', x.user_id, 'email', p.email, 'calls', x.calls,
                                        'lessonsValid', x.valid, 'costUsd', round(x.cost, 6)::float8)
                     order by x.cost desc, x.user_id)
      from (select u.user_id, sum(u.calls) as calls, sum(u.lessons_valid) as valid, sum(u.cost_usd) as cost
              from public.usage_daily u
             where u.day between p_from and p_to and u.user_id is not null
             group by u.user_id
             order by sum(u.cost_usd) desc, u.user_id
             limit least(greatest(coalesce(p_limit, 10), 1), 100)) x
      left join public.profiles p on p.id = x.user_id), '[]'::jsonb));
end
$$;

-- Where the money went, as dashboard JSON (added to every totals object of admin_usage).
create function private.usage_money(input numeric, cached numeric, output numeric) returns jsonb
language sql immutable
set search_path = ''
as $$
  select jsonb_build_object('inputUsd', round(coalesce(input, 0), 6)::float8,
    'cachedUsd', round(coalesce(cached, 0), 6)::float8, 'outputUsd', round(coalesce(output, 0), 6)::float8)
$$;

-- The saving of each generation request in a range of UTC days, summed from usage_events (not the
-- rollup): the check that the dashboard's figure is the sum of per-request savings reads this.
create function public.admin_usage_savings(p_from date, p_to date) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  perform private.check_day_range(p_from, p_to);
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
