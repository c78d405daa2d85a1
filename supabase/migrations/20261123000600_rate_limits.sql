-- Rate limits: token buckets shared by every app instance. For `service_role` only.

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
    perform private.raise_app('invalid_request', 'Bad rate-limit parameters.');
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
