-- Background jobs and one LLM rate limit shared by every process (docs/operations.md).

-- ---- job engine ----------------------------------------------------------------------------------
-- pg-boss keeps its queues in the schema `pgboss` and creates and migrates its own tables there on
-- start. The schema is made here so it belongs to the migrating role and no API role can reach it:
-- PostgREST exposes `public` only, and anon/authenticated get no usage on this schema either.
create schema if not exists pgboss;
revoke all on schema pgboss from public;
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'anon') then
    execute 'revoke all on schema pgboss from anon, authenticated';
  end if;
end
$$;

-- ---- shared LLM rate limit -------------------------------------------------------------------------
-- The provider's requests-per-minute and tokens-per-minute budget per (provider, model), for all web
-- instances and workers together. A budget is a sliding window over what was granted, not a refilling
-- bucket: a bucket of one minute's capacity lets twice the limit through in some 60-second window,
-- which a provider counting any trailing minute answers with 429s. The window is one second longer
-- than a minute to absorb the gap between our grant and the provider's arrival time.
create table public.llm_rate_limits (
  provider text not null check (length(provider) between 1 and 64),
  model text not null check (length(model) between 1 and 200),
  rpm int check (rpm is null or rpm > 0),              -- null: no known limit
  tpm int check (tpm is null or tpm > 0),
  -- Background calls may only take the budget while this fraction of it stays free for interactive ones.
  reserve_fraction double precision not null default 0.2 check (reserve_fraction >= 0 and reserve_fraction < 1),
  window_ms int not null default 61000 check (window_ms between 1000 and 3600000),
  -- The provider said the budget is spent (remaining 0 or a 429 with retry-after): nothing until then.
  blocked_until timestamptz,
  updated_at timestamptz not null default clock_timestamp(),
  primary key (provider, model)
);

-- One row per granted call (or a correction from the provider's headers), counted while inside the window.
create table public.llm_rate_grants (
  id bigint generated always as identity primary key,
  provider text not null,
  model text not null,
  granted_at timestamptz not null default clock_timestamp(),
  requests int not null default 1 check (requests >= 0),
  tokens int not null check (tokens >= 0),
  kind text not null check (kind in ('interactive', 'background', 'correction')),
  foreign key (provider, model) references public.llm_rate_limits (provider, model) on delete cascade
);
create index llm_rate_grants_window_idx on public.llm_rate_grants (provider, model, granted_at);

alter table public.llm_rate_limits enable row level security;
alter table public.llm_rate_grants enable row level security;
-- No policies: only the definer functions below touch these tables.

-- Sets a model's limits (each process calls it at start with its configuration). Null keeps what is
-- stored, so limits learned from headers survive a process that was given none.
create function public.llm_rate_configure(
  p_provider text, p_model text, p_rpm int, p_tpm int, p_reserve_fraction double precision, p_window_ms int default 61000
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  l public.llm_rate_limits;
begin
  if p_provider is null or p_model is null or coalesce(p_rpm, 1) < 1 or coalesce(p_tpm, 1) < 1
     or p_reserve_fraction is null or p_reserve_fraction < 0 or p_reserve_fraction >= 1
     or p_window_ms is null or p_window_ms not between 1000 and 3600000 then
    perform private.raise_app('invalid_request', 'Bad rate-limit configuration.');
  end if;
  insert into public.llm_rate_limits as r (provider, model, rpm, tpm, reserve_fraction, window_ms)
  values (p_provider, p_model, p_rpm, p_tpm, p_reserve_fraction, p_window_ms)
  on conflict (provider, model) do update set
    rpm = coalesce(excluded.rpm, r.rpm),
    tpm = coalesce(excluded.tpm, r.tpm),
    reserve_fraction = excluded.reserve_fraction,
    window_ms = excluded.window_ms,
    updated_at = clock_timestamp()
  returning * into l;
  return jsonb_build_object('rpm', l.rpm, 'tpm', l.tpm, 'reserveFraction', l.reserve_fraction, 'windowMs', l.window_ms);
end
$$;

-- Takes room for one call of p_tokens (estimated prompt + max_tokens), atomically for every process:
-- the model's row is locked for the decision. Interactive calls may use the whole budget; background
-- calls only what leaves `reserve_fraction` of it free. A call larger than its whole share goes alone.
-- Returns {granted: true, id, grantedAt} or {granted: false, retryAfterMs}.
create function public.llm_rate_reserve(p_provider text, p_model text, p_tokens int, p_priority text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  l public.llm_rate_limits;
  v_now timestamptz := clock_timestamp();
  v_window interval;
  v_share double precision;
  v_rpm int;
  v_tpm int;
  v_requests int;
  v_used bigint;
  v_need int;
  v_id bigint;
  v_free_at timestamptz;
begin
  if p_provider is null or p_model is null or p_tokens is null or p_tokens < 0
     or p_priority is null or p_priority not in ('interactive', 'background') then
    perform private.raise_app('invalid_request', 'Bad rate-limit reservation.');
  end if;
  insert into public.llm_rate_limits (provider, model) values (p_provider, p_model) on conflict do nothing;
  select * into l from public.llm_rate_limits where provider = p_provider and model = p_model for update;

  if l.blocked_until is not null and l.blocked_until > v_now then
    return jsonb_build_object('granted', false, 'retryAfterMs', ceil(extract(epoch from l.blocked_until - v_now) * 1000)::int);
  end if;

  v_window := make_interval(secs => l.window_ms / 1000.0);
  delete from public.llm_rate_grants g
  where g.provider = p_provider and g.model = p_model and g.granted_at <= v_now - v_window;
  select coalesce(sum(g.requests), 0), coalesce(sum(g.tokens), 0) into v_requests, v_used
  from public.llm_rate_grants g where g.provider = p_provider and g.model = p_model;

  v_share := case when p_priority = 'background' then 1 - l.reserve_fraction else 1 end;
  v_rpm := case when l.rpm is null then null else greatest(1, floor(l.rpm * v_share))::int end;
  v_tpm := case when l.tpm is null then null else greatest(1, floor(l.tpm * v_share))::int end;
  v_need := case when v_tpm is null then p_tokens else least(p_tokens, v_tpm) end;

  if (v_rpm is null or v_requests + 1 <= v_rpm) and (v_tpm is null or v_used + v_need <= v_tpm) then
    insert into public.llm_rate_grants (provider, model, granted_at, tokens, kind)
    values (p_provider, p_model, v_now, p_tokens, p_priority)
    returning id into v_id;
    return jsonb_build_object('granted', true, 'id', v_id, 'grantedAt', round(extract(epoch from v_now) * 1000, 3));
  end if;

  -- When will enough of the window have expired? The oldest grant whose expiry frees both the
  -- request slot and the tokens this call needs.
  select s.granted_at into v_free_at
  from (
    select g.granted_at,
      sum(g.requests) over w as freed_requests,
      sum(g.tokens) over w as freed_tokens
    from public.llm_rate_grants g
    where g.provider = p_provider and g.model = p_model
    window w as (order by g.granted_at, g.id rows between unbounded preceding and current row)
  ) s
  where (v_rpm is null or v_requests - s.freed_requests + 1 <= v_rpm)
    and (v_tpm is null or v_used - s.freed_tokens + v_need <= v_tpm)
  order by s.granted_at
  limit 1;
  return jsonb_build_object('granted', false, 'retryAfterMs',
    case when v_free_at is null then l.window_ms
         else greatest(1, ceil(extract(epoch from v_free_at + v_window - v_now) * 1000))::int end);
end
$$;

-- The call ended. Not sent: the provider never saw it, so it stops counting. Sent: its tokens become
-- what the provider reported (a refund of the unused part of max_tokens), or stay the estimate.
create function public.llm_rate_release(p_id bigint, p_sent boolean, p_tokens int default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_found boolean;
begin
  if p_id is null or p_sent is null or (p_tokens is not null and p_tokens < 0) then
    perform private.raise_app('invalid_request', 'Bad rate-limit release.');
  end if;
  if not p_sent then
    delete from public.llm_rate_grants where id = p_id and kind <> 'correction';
  elsif p_tokens is not null then
    update public.llm_rate_grants set tokens = p_tokens where id = p_id and kind <> 'correction';
  else
    perform 1 from public.llm_rate_grants where id = p_id;
  end if;
  v_found := found;
  return jsonb_build_object('released', v_found);
end
$$;

-- Corrects the shared budget from one response's rate-limit headers (per-minute budgets). A limit the
-- provider states lower than ours wins; usage the provider counts that we did not (another client on
-- the key, a request we lost track of) is recorded as a correction; an exhausted budget, or a 429's
-- retry-after, blocks everyone until the provider's reset.
create function public.llm_rate_observe(
  p_provider text, p_model text,
  p_limit_requests int default null, p_remaining_requests int default null, p_reset_requests_ms int default null,
  p_limit_tokens int default null, p_remaining_tokens int default null, p_reset_tokens_ms int default null,
  p_retry_after_ms int default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  l public.llm_rate_limits;
  v_now timestamptz := clock_timestamp();
  v_requests int;
  v_used bigint;
  v_extra_requests int := 0;
  v_extra_tokens int := 0;
  v_block_ms int;
begin
  if p_provider is null or p_model is null then
    perform private.raise_app('invalid_request', 'Bad rate-limit observation.');
  end if;
  insert into public.llm_rate_limits (provider, model) values (p_provider, p_model) on conflict do nothing;
  select * into l from public.llm_rate_limits where provider = p_provider and model = p_model for update;

  if p_limit_requests is not null and p_limit_requests > 0 then l.rpm := least(coalesce(l.rpm, p_limit_requests), p_limit_requests); end if;
  if p_limit_tokens is not null and p_limit_tokens > 0 then l.tpm := least(coalesce(l.tpm, p_limit_tokens), p_limit_tokens); end if;

  select coalesce(sum(g.requests), 0), coalesce(sum(g.tokens), 0) into v_requests, v_used
  from public.llm_rate_grants g
  where g.provider = p_provider and g.model = p_model
    and g.granted_at > v_now - make_interval(secs => l.window_ms / 1000.0);
  if p_remaining_requests is not null and l.rpm is not null then
    v_extra_requests := greatest(0, (l.rpm - v_requests) - p_remaining_requests);
  end if;
  if p_remaining_tokens is not null and l.tpm is not null then
    v_extra_tokens := greatest(0, (l.tpm - v_used) - p_remaining_tokens)::int;
  end if;
  -- A correction leaves the window when the provider's budget resets, not a whole window from now.
  if v_extra_requests > 0 then
    insert into public.llm_rate_grants (provider, model, granted_at, requests, tokens, kind)
    values (p_provider, p_model,
      least(v_now, v_now - make_interval(secs => l.window_ms / 1000.0) + make_interval(secs => coalesce(p_reset_requests_ms, l.window_ms) / 1000.0)),
      v_extra_requests, 0, 'correction');
  end if;
  if v_extra_tokens > 0 then
    insert into public.llm_rate_grants (provider, model, granted_at, requests, tokens, kind)
    values (p_provider, p_model,
      least(v_now, v_now - make_interval(secs => l.window_ms / 1000.0) + make_interval(secs => coalesce(p_reset_tokens_ms, l.window_ms) / 1000.0)),
      0, v_extra_tokens, 'correction');
  end if;

  v_block_ms := greatest(
    coalesce(p_retry_after_ms, 0),
    case when p_remaining_requests is not null and p_remaining_requests <= 0 then coalesce(p_reset_requests_ms, 0) else 0 end,
    case when p_remaining_tokens is not null and p_remaining_tokens <= 0 then coalesce(p_reset_tokens_ms, 0) else 0 end);
  if v_block_ms > 0 then
    l.blocked_until := greatest(coalesce(l.blocked_until, v_now), v_now + make_interval(secs => least(v_block_ms, 3600000) / 1000.0));
  end if;

  update public.llm_rate_limits
  set rpm = l.rpm, tpm = l.tpm, blocked_until = l.blocked_until, updated_at = v_now
  where provider = p_provider and model = p_model;
  return jsonb_build_object('rpm', l.rpm, 'tpm', l.tpm, 'correctedRequests', v_extra_requests, 'correctedTokens', v_extra_tokens,
    'blockedForMs', case when l.blocked_until > v_now then ceil(extract(epoch from l.blocked_until - v_now) * 1000)::int else 0 end);
end
$$;

-- The server only (functions created after the default-privileges migration start with no grants).
grant execute on function
  public.llm_rate_configure(text, text, int, int, double precision, int),
  public.llm_rate_reserve(text, text, int, text),
  public.llm_rate_release(bigint, boolean, int),
  public.llm_rate_observe(text, text, int, int, int, int, int, int, int)
to service_role;
