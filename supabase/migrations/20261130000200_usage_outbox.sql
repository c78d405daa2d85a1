-- Durable usage: a write-ahead row for every model-call attempt. Before an attempt goes on the wire the
-- server stores the usage event it would charge if it never learned the real one (prompt estimate,
-- the output cap as completion tokens, priced in TypeScript, error_code 'interrupted'), under the id the
-- real event will carry. Inserting the real event deletes the row (trigger below), in the same
-- transaction. A row left behind belongs to an attempt whose event was never written: the process was
-- killed, or every write failed. Once its request is no longer alive (finished, or its lease expired)
-- the estimate itself becomes the usage event (`private.charge_orphan_usage_attempts`, run wherever
-- stale reservations are settled). So a crash loses no usage event, and over-charges rather than under.

create table public.usage_attempts (
  id uuid primary key,                  -- the id of the usage event this attempt will produce
  request_id uuid,                      -- the generation request (null for calls without one)
  user_id uuid,
  created_at timestamptz not null default now(),
  estimate jsonb not null               -- the UsageEvent (camelCase) charged if the real one never arrives
);
create index usage_attempts_request_idx on public.usage_attempts (request_id) where request_id is not null;
create index usage_attempts_created_idx on public.usage_attempts (created_at);
-- A learner's next reservation settles that learner's dead runs (charge_orphan_usage_attempts(p_user_id)).
create index usage_attempts_user_idx on public.usage_attempts (user_id) where user_id is not null;
alter table public.usage_attempts enable row level security;
revoke all on public.usage_attempts from public, anon, authenticated;
grant all on public.usage_attempts to service_role;

-- Stores the estimate of an attempt about to be sent (idempotent by id).
create function public.begin_usage_attempt(p_event jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_event is null or jsonb_typeof(p_event) <> 'object' or (p_event ->> 'id') is null then
    perform private.raise_app('invalid_request', 'p_event must be a usage event with an id.');
  end if;
  insert into public.usage_attempts (id, request_id, user_id, estimate)
  values ((p_event ->> 'id')::uuid, (p_event ->> 'requestId')::uuid, (p_event ->> 'userId')::uuid, p_event)
  on conflict (id) do nothing;
  return jsonb_build_object('ok', true);
exception
  when invalid_text_representation then
    raise exception using errcode = 'P0001', message = 'invalid_request', detail = 'Malformed usage event: ' || sqlerrm;
end
$$;

-- The real event arrived: its write-ahead row is done, in the inserting transaction.
create function private.usage_attempts_done() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.usage_attempts a using new_rows n where a.id = n.id;
  return null;
end
$$;

create trigger usage_events_attempts_done
  after insert on public.usage_events
  referencing new table as new_rows
  for each statement execute function private.usage_attempts_done();

-- Attempts whose request is no longer alive and whose event never came: their estimates become usage
-- events (through insert_usage_events, so the rollups and the spend counter see them). Alive = running
-- within its lease (the same rule as settle_stale_reservations); an attempt without a request is given
-- 30 minutes. Returns how many events it wrote.
create function private.charge_orphan_usage_attempts(p_user_id uuid default null) returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_events jsonb;
begin
  with orphans as (
    delete from public.usage_attempts a
     where (p_user_id is null or a.user_id = p_user_id)
       and (case when a.request_id is null then a.created_at < now() - interval '30 minutes'
                 else not exists (select 1 from public.generation_requests g
                                   where g.id = a.request_id and g.status = 'running'
                                     and g.updated_at >= now() - private.generation_lease()) end)
    returning a.estimate
  )
  select jsonb_agg(o.estimate) into v_events from orphans o;
  if v_events is null then
    return 0;
  end if;
  return (public.insert_usage_events(v_events) ->> 'inserted')::int;
end
$$;

revoke execute on function
  public.begin_usage_attempt(jsonb), private.usage_attempts_done(), private.charge_orphan_usage_attempts(uuid)
from public, anon, authenticated;
grant execute on function public.begin_usage_attempt(jsonb) to service_role;
