-- Spend budgets, private lessons, clean titles, revocable local sessions, generation leases, retention
-- and the indexes the hot queries need (docs/security.md lists every number and how to change it).

-- ---- deployment spend ------------------------------------------------------------------------------

-- Model spend per UTC day, kept in 16 shards so concurrent usage inserts rarely touch the same row;
-- the cap check sums at most 16 rows. Fed by a statement trigger on usage_events.
create table public.spend_days (
  day date not null,
  shard smallint not null check (shard between 0 and 15),
  calls bigint not null default 0,
  cost_usd numeric(18, 8) not null default 0,
  primary key (day, shard)
);

create function private.spend_days_rollup() returns trigger
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

create trigger usage_events_spend
  after insert on public.usage_events
  referencing new table as new_rows
  for each statement execute function private.spend_days_rollup();

-- Today's deployment-wide spend against a cap (null cap: no cap). Read by the gateway before every
-- model call and by the admin dashboard banner.
create function public.spend_cap_status(p_cap_usd numeric) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'spentUsd', x.spent, 'capUsd', p_cap_usd,
    'exhausted', p_cap_usd is not null and x.spent >= p_cap_usd,
    'resetsAt', private.iso((((now() at time zone 'UTC')::date + 1)::timestamp) at time zone 'UTC'))
  from (select coalesce(sum(s.cost_usd), 0) as spent from public.spend_days s
         where s.day = (now() at time zone 'UTC')::date) x
$$;

-- ---- generation allowances --------------------------------------------------------------------------

-- Lessons generated per UTC day outside the learner's own quota: learner feed top-ups (subject = the
-- learner's id) and the background sweep (subject = 'deployment').
create table public.generation_allowances (
  scope text not null check (scope in ('topup', 'background')),
  subject text not null,
  day date not null,
  used int not null default 0 check (used >= 0),
  last_grant int not null default 0,
  primary key (scope, subject, day)
);

-- Grants up to p_lessons of what is left of today's allowance (p_limit), in ONE statement: the spend
-- cap is read and the counter bumped together, and the upsert's SET sees the locked latest row, so
-- concurrent callers can never be granted more than the allowance. Nothing is granted once the
-- deployment's daily spend reached p_cap_usd.
create function public.take_generation_allowance(
  p_scope text, p_subject text, p_lessons int, p_limit int, p_cap_usd numeric default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_today date := (now() at time zone 'UTC')::date;
  v_granted int;
  v_used int;
  v_cap jsonb := public.spend_cap_status(p_cap_usd);
  v_resets timestamptz := ((v_today + 1)::timestamp) at time zone 'UTC';
begin
  if p_scope is null or p_scope not in ('topup', 'background') or coalesce(p_subject, '') = ''
     or p_lessons is null or p_lessons < 1 or p_limit is null or p_limit < 0 then
    perform private.raise_app('invalid_request', 'Bad allowance parameters.');
  end if;
  with cap as (
    select coalesce(sum(s.cost_usd), 0) as spent from public.spend_days s where s.day = v_today
  ), bumped as (
    insert into public.generation_allowances as a (scope, subject, day, used, last_grant)
    select p_scope, p_subject, v_today, least(p_lessons, p_limit), least(p_lessons, p_limit)
      from cap where p_cap_usd is null or cap.spent < p_cap_usd
    on conflict (scope, subject, day) do update
      set last_grant = least(p_limit, a.used + excluded.last_grant) - a.used,
          used = greatest(a.used, least(p_limit, a.used + excluded.last_grant))
      where a.used < p_limit
    returning a.last_grant, a.used
  )
  select b.last_grant, b.used into v_granted, v_used from bumped b;

  if v_granted is null then
    select a.used into v_used from public.generation_allowances a
     where a.scope = p_scope and a.subject = p_subject and a.day = v_today;
  end if;
  return jsonb_build_object(
    'granted', greatest(coalesce(v_granted, 0), 0),
    'used', coalesce(v_used, 0),
    'limit', p_limit,
    'reason', case when coalesce(v_granted, 0) > 0 then null
                   when (v_cap ->> 'exhausted')::boolean then 'spend_cap' else 'allowance' end,
    'resetsAt', private.iso(v_resets),
    'retryAfterSeconds', greatest(1, ceil(extract(epoch from v_resets - now())))::int);
end
$$;

-- Gives back what was granted but not generated (failed or unstarted lessons).
create function public.refund_generation_allowance(p_scope text, p_subject text, p_lessons int) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_used int;
begin
  update public.generation_allowances a set used = greatest(a.used - greatest(coalesce(p_lessons, 0), 0), 0)
   where a.scope = p_scope and a.subject = p_subject and a.day = (now() at time zone 'UTC')::date
  returning a.used into v_used;
  return jsonb_build_object('used', coalesce(v_used, 0));
end
$$;

-- ---- feed: marking seen, limited ------------------------------------------------------------------------

-- mark_feed_seen for the server, with the learner's per-minute limit: a token is taken only when the
-- call would open a feed slot (a pending lesson becomes seen), so bad ids and repeats change nothing.
create function public.mark_feed_seen_limited(p_user_id uuid, p_lesson_id uuid, p_per_minute int) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_status text;
  v_take jsonb;
begin
  if p_per_minute is null or p_per_minute < 1 then
    perform private.raise_app('invalid_request', 'p_per_minute must be at least 1.');
  end if;
  select fi.status into v_status from public.feed_items fi
   where fi.user_id = p_user_id and fi.lesson_id = p_lesson_id for update;
  if v_status is null then
    perform private.raise_app('not_found', 'Lesson is not in your feed.');
  end if;
  if v_status = 'pending' then
    v_take := public.take_rate_limit('seen:user:' || p_user_id::text, p_per_minute, p_per_minute / 60.0, 1);
    if not (v_take ->> 'allowed')::boolean then
      return jsonb_build_object('lessonId', p_lesson_id, 'status', v_status, 'allowed', false,
        'retryAfterMs', (v_take ->> 'retryAfterMs')::int);
    end if;
    update public.feed_items fi set status = 'seen', seen_at = now()
     where fi.user_id = p_user_id and fi.lesson_id = p_lesson_id;
  end if;
  return jsonb_build_object('lessonId', p_lesson_id, 'status', 'seen', 'allowed', true, 'retryAfterMs', 0);
end
$$;

-- ---- private lessons ---------------------------------------------------------------------------------

-- Lessons generated from a learner's free-text instructions belong to that learner only: they are
-- never served to, listed for, or used as "titles to avoid" in anyone else's prompts.
alter table public.generation_requests add column private boolean not null default false;
alter table public.lessons add column private_to uuid references public.profiles (id) on delete cascade;

create function private.lessons_set_private() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.generation_request_id is not null then
    select case when g.private then g.user_id end into new.private_to
      from public.generation_requests g where g.id = new.generation_request_id;
  end if;
  return new;
end
$$;

create trigger lessons_private
  before insert on public.lessons
  for each row execute function private.lessons_set_private();

-- Marks a request as made with learner instructions; its lessons are saved private.
create function public.mark_generation_private(p_request_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.generation_requests g set private = true where g.id = p_request_id and g.user_id is not null;
  if not found then
    perform private.raise_app('not_found', 'Generation request not found.');
  end if;
  return jsonb_build_object('requestId', p_request_id, 'private', true);
end
$$;

drop policy lessons_read on public.lessons;
create policy lessons_read on public.lessons for select to authenticated
  using (private_to is null or private_to = auth.uid());

-- ---- clean titles --------------------------------------------------------------------------------------

-- Mirrors lib/lessons/schema.ts: 1-120 characters, no control, bidi or zero-width characters.
alter table public.lessons add constraint lessons_title_clean check (
  char_length(title) between 1 and 120
  and title !~ '[\x01-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]');



-- ---- local sessions -------------------------------------------------------------------------------------

-- One row per local sign-in; the cookie carries its id, sign-out revokes it.
create table public.auth_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index auth_sessions_user_idx on public.auth_sessions (user_id);
create index auth_sessions_expiry_idx on public.auth_sessions (expires_at);

create function public.create_auth_session(p_user_id uuid, p_ttl_seconds int) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.auth_sessions;
begin
  if p_ttl_seconds is null or p_ttl_seconds < 1 then
    perform private.raise_app('invalid_request', 'p_ttl_seconds must be at least 1.');
  end if;
  if not exists (select 1 from public.profiles p where p.id = p_user_id) then
    perform private.raise_app('not_found', 'No profile for this user.');
  end if;
  insert into public.auth_sessions (user_id, expires_at)
  values (p_user_id, now() + make_interval(secs => p_ttl_seconds))
  returning * into v;
  return jsonb_build_object('sessionId', v.id, 'expiresAt', private.iso(v.expires_at));
end
$$;

-- The profile behind a live session (not revoked, not expired, same user), or null.
create function public.session_profile(p_session_id uuid, p_user_id uuid) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select private.profile_json(p)
    from public.auth_sessions a join public.profiles p on p.id = a.user_id
   where a.id = p_session_id and a.user_id = p_user_id and a.revoked_at is null and a.expires_at > now()
$$;

create function public.revoke_auth_session(p_session_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_revoked int;
begin
  update public.auth_sessions a set revoked_at = now() where a.id = p_session_id and a.revoked_at is null;
  get diagnostics v_revoked = row_count;
  return jsonb_build_object('revoked', v_revoked);
end
$$;

-- ---- admin from ADMIN_EMAILS ------------------------------------------------------------------------------

-- Admins granted by ADMIN_EMAILS are marked, so removing the address demotes them; an admin granted
-- in the database itself (the demo seed, an operator's UPDATE) is left alone.
alter table public.profiles add column admin_via_env boolean not null default false;

create function public.sync_admin_role(p_user_id uuid, p_listed_and_verified boolean) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.profiles;
begin
  update public.profiles p
     set role = case when p_listed_and_verified then 'admin'
                     when p.admin_via_env then 'learner' else p.role end,
         admin_via_env = case when p_listed_and_verified then p.role <> 'admin' or p.admin_via_env else false end,
         updated_at = now()
   where p.id = p_user_id
  returning * into v;
  if v.id is null then
    perform private.raise_app('not_found', 'No profile for this user.');
  end if;
  return private.profile_json(v);
end
$$;

-- ---- generation leases and stale reservations -----------------------------------------------------------

-- A running request is alive while its lease holds: it is renewed by every lesson saved
-- (save_generated_lessons bumps updated_at). Five minutes covers the route's maxDuration (300 s).
create function private.generation_lease() returns interval
language sql immutable
set search_path = ''
as $$
  select interval '5 minutes'
$$;

-- Abandoned requests (lease expired) give up their idempotency key, so a retry with it starts afresh.
create function private.abandon_expired_generations(p_user_id uuid default null) returns int
language plpgsql
security definer
set search_path = ''
as $$
declare
  v int;
begin
  update public.generation_requests g
     set status = 'cancelled', idempotency_key = null, finished_at = now(),
         result = jsonb_build_object('abandoned', true, 'idempotencyKey', g.idempotency_key)
   where g.status = 'running' and g.updated_at < now() - private.generation_lease()
     and (p_user_id is null or g.user_id = p_user_id);
  get diagnostics v = row_count;
  return v;
end
$$;

-- Held reservations whose request is no longer alive are settled, charging the lessons that request
-- actually saved (a long run that delivered is paid for; an empty crash costs nothing).
create function private.settle_stale_reservations(p_user_id uuid default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_settled int;
  v_charged int;
  v_usage int;
begin
  with stale as (
    select qr.id, qr.user_id, qr.day, qr.lessons,
           least(qr.lessons, (select count(*) from public.lessons l
                               where qr.request_id is not null and l.generation_request_id = qr.request_id))::int as used
      from public.quota_reservations qr
      left join public.generation_requests g on g.id = qr.request_id
     where qr.status = 'held'
       and (p_user_id is null or qr.user_id = p_user_id)
       and (case when g.id is null then qr.created_at < now() - interval '30 minutes'
                 else g.status <> 'running' or g.updated_at < now() - private.generation_lease() end)
       -- A request that finished normally settles itself; give it a moment before stepping in.
       and qr.created_at < now() - interval '1 minute'
     for update of qr skip locked
  ), settled as (
    update public.quota_reservations qr set status = 'settled', used = s.used, settled_at = now()
      from stale s where qr.id = s.id
    returning qr.user_id, qr.day, qr.lessons, qr.used
  ), days as (
    update public.quota_days q
       set reserved = greatest(q.reserved - d.lessons, 0), used = q.used + d.used
      from (select st.user_id, st.day, sum(st.lessons)::int as lessons, sum(st.used)::int as used
              from settled st group by 1, 2) d
     where q.user_id = d.user_id and q.day = d.day
    returning 1
  )
  select (select count(*) from settled), (select coalesce(sum(used), 0) from settled) into v_settled, v_charged;
  -- The dead runs' model calls whose usage events never came are charged at their estimates
  -- (usage_attempts, 20261130000200_usage_outbox.sql).
  v_usage := private.charge_orphan_usage_attempts(p_user_id);
  return jsonb_build_object('settled', v_settled, 'charged', v_charged, 'usageEvents', v_usage);
end
$$;



-- ---- retention -----------------------------------------------------------------------------------------------

-- Periodic cleanup, called by the cron sweep. Kept forever: lessons, usage_events and every rollup.
-- Dropped: rate-limit buckets idle for a day (an idle bucket is full, the same as no row),
-- idempotency keys and stored results of requests finished p_idempotency_days ago
-- (the request row stays as an audit record), settled reservations and allowance counters older
-- than p_ledger_days (quota_days keeps the daily totals), and sessions a day after they ended.
create function public.cleanup_retention(p_idempotency_days int default 7, p_ledger_days int default 35) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_buckets int;
  v_keys int;
  v_reservations int;
  v_allowances int;
  v_sessions int;
  v_abandoned int;
  v_stale jsonb;
begin
  if p_idempotency_days is null or p_idempotency_days < 1 or p_ledger_days is null or p_ledger_days < 1 then
    perform private.raise_app('invalid_request', 'Retention periods must be at least one day.');
  end if;
  v_abandoned := private.abandon_expired_generations(null);
  v_stale := private.settle_stale_reservations(null);
  delete from public.rate_limit_buckets b where b.updated_at < now() - interval '1 day';
  get diagnostics v_buckets = row_count;
  update public.generation_requests g set idempotency_key = null, result = null, body_hash = null
   where g.status <> 'running' and g.finished_at < now() - make_interval(days => p_idempotency_days)
     and (g.idempotency_key is not null or g.result is not null);
  get diagnostics v_keys = row_count;
  delete from public.quota_reservations qr
   where qr.status = 'settled' and qr.settled_at < now() - make_interval(days => p_ledger_days);
  get diagnostics v_reservations = row_count;
  delete from public.generation_allowances a where a.day < (now() at time zone 'UTC')::date - p_ledger_days;
  get diagnostics v_allowances = row_count;
  delete from public.auth_sessions s
   where coalesce(s.revoked_at, s.expires_at) < now() - interval '1 day';
  get diagnostics v_sessions = row_count;
  return jsonb_build_object('abandonedRequests', v_abandoned, 'staleReservations', v_stale,
    'rateLimitBuckets', v_buckets, 'idempotencyKeys', v_keys,
    'settledReservations', v_reservations, 'allowanceDays', v_allowances, 'sessions', v_sessions);
end
$$;

-- ---- indexes -------------------------------------------------------------------------------------------------

create index generation_requests_playlist_idx on public.generation_requests (playlist_id) where playlist_id is not null;
create index generation_requests_running_idx on public.generation_requests (updated_at) where status = 'running';
create index generation_requests_finished_idx on public.generation_requests (finished_at) where idempotency_key is not null or result is not null;
create index lessons_created_by_idx on public.lessons (created_by) where created_by is not null;
create index lessons_private_to_idx on public.lessons (private_to) where private_to is not null;
-- Titles to avoid: the newest lessons of a topic, read by index instead of sorting the whole topic.
create index lessons_topic_recent_idx on public.lessons (topic_id, created_at desc);
create index quota_reservations_held_idx on public.quota_reservations (created_at) where status = 'held';
create index quota_reservations_settled_idx on public.quota_reservations (settled_at) where status = 'settled';
create index rate_limit_buckets_updated_idx on public.rate_limit_buckets (updated_at);

-- ---- row-level security and grants -------------------------------------------------------------------------

alter table public.spend_days enable row level security;
alter table public.generation_allowances enable row level security;
alter table public.auth_sessions enable row level security;
-- Admins read the spend counter (dashboard banner); the other two are touched by definer functions only.
create policy spend_days_admin_read on public.spend_days for select to authenticated using (exists (select 1 from public.profiles p where p.id = auth.uid() and p.role = 'admin'));

revoke all on public.spend_days, public.generation_allowances, public.auth_sessions from public, anon, authenticated;
grant select on public.spend_days to authenticated;
grant all on public.spend_days, public.generation_allowances, public.auth_sessions to service_role;

revoke execute on function
  private.spend_days_rollup(), public.spend_cap_status(numeric),
  public.take_generation_allowance(text, text, int, int, numeric),
  public.refund_generation_allowance(text, text, int), private.lessons_set_private(),
  public.mark_generation_private(uuid), public.create_auth_session(uuid, int), public.session_profile(uuid, uuid),
  public.revoke_auth_session(uuid), public.sync_admin_role(uuid, boolean), private.generation_lease(),
  public.mark_feed_seen_limited(uuid, uuid, int),
  private.abandon_expired_generations(uuid), private.settle_stale_reservations(uuid),
  public.cleanup_retention(int, int)
from public, anon, authenticated;

grant execute on function
  public.spend_cap_status(numeric), public.take_generation_allowance(text, text, int, int, numeric),
  public.refund_generation_allowance(text, text, int), public.mark_generation_private(uuid),
  public.create_auth_session(uuid, int), public.session_profile(uuid, uuid), public.revoke_auth_session(uuid),
  public.sync_admin_role(uuid, boolean), public.cleanup_retention(int, int),
  public.mark_feed_seen_limited(uuid, uuid, int)
to service_role;
