-- Quota: lessons per UTC day and model spend per UTC month, per tier (public.tier_limits).
-- get_my_quota is the learner's read; reserve_quota / settle_quota are for `service_role` only. All
-- SECURITY DEFINER: spend comes from the usage rollup, which only admins may read directly.

-- A learner's model spend in the UTC calendar month of p_day, from the usage rollup. Called only by
-- definer functions (quota_status, reserve_quota); nobody is granted EXECUTE on it.
create function private.month_spend_usd(p_user_id uuid, p_day date) returns numeric
language sql stable
set search_path = ''
as $$
  select coalesce(sum(u.cost_usd), 0) from public.usage_daily u
   where u.user_id = p_user_id and u.day >= date_trunc('month', p_day)::date
$$;

-- A learner's quota as get_my_quota answers it (also the tail of reserve/settle answers).
create function private.quota_status(p_user_id uuid) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  with today as (select (now() at time zone 'UTC')::date as d)
  select jsonb_build_object(
    'tier', p.tier,
    'lessonsPerDay', tl.lessons_per_day,
    'usedToday', coalesce(q.used, 0),
    'reserved', coalesce(q.reserved, 0),
    'remaining', greatest(tl.lessons_per_day - coalesce(q.used, 0) - coalesce(q.reserved, 0), 0),
    'resetsAt', private.iso(((today.d + 1)::timestamp) at time zone 'UTC'),
    'monthlySpendUsd', private.month_spend_usd(p.id, today.d)::float8,
    'monthlySpendLimitUsd', tl.monthly_spend_usd::float8)
  from public.profiles p
  cross join today
  join public.tier_limits tl on tl.tier = p.tier
  left join public.quota_days q on q.user_id = p.id and q.day = today.d
  where p.id = p_user_id
$$;

create function public.get_my_quota() returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v jsonb := private.quota_status(private.require_uid());
begin
  if v is null then
    perform private.raise_app('not_found', 'No profile for this user.');
  end if;
  return v;
end
$$;

-- Check and reserve in ONE statement: the upsert's WHERE is re-evaluated on the locked, latest row,
-- so concurrent callers can never over-reserve (50 × 1 against 20 remaining grants exactly 20).
-- Reservations left "held" for over 30 minutes by a server that crashed before settling are
-- released first.
create function public.reserve_quota(p_user_id uuid, p_lessons int, p_request_id uuid default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_today date := (now() at time zone 'UTC')::date;
  v_reservation uuid;
  v_limit int;
  v_status jsonb;
  v_resets timestamptz := ((v_today + 1)::timestamp) at time zone 'UTC';
  v_spend_blocked boolean;
begin
  if p_lessons is null or p_lessons < 1 then
    perform private.raise_app('invalid_request', 'p_lessons must be at least 1.');
  end if;
  select tl.lessons_per_day into v_limit
    from public.profiles p join public.tier_limits tl on tl.tier = p.tier where p.id = p_user_id;
  if v_limit is null then
    perform private.raise_app('not_found', 'No profile for this user.');
  end if;

  perform private.settle_stale_reservations(p_user_id);

  with lim as (
    select tl.lessons_per_day, tl.monthly_spend_usd,
           private.month_spend_usd(p_user_id, v_today) as spent
      from public.profiles p join public.tier_limits tl on tl.tier = p.tier
     where p.id = p_user_id
  ), bumped as (
    insert into public.quota_days as q (user_id, day, used, reserved)
    select p_user_id, v_today, 0, p_lessons from lim
     where p_lessons <= lim.lessons_per_day
       and (lim.monthly_spend_usd is null or lim.spent < lim.monthly_spend_usd)
    on conflict (user_id, day) do update set reserved = q.reserved + excluded.reserved
     where q.used + q.reserved + excluded.reserved <= (select lim.lessons_per_day from lim)
    returning q.user_id
  ), held as (
    insert into public.quota_reservations (user_id, day, lessons, request_id)
    select b.user_id, v_today, p_lessons, p_request_id from bumped b
    returning id
  )
  select h.id into v_reservation from held h;

  v_status := private.quota_status(p_user_id);
  if v_reservation is not null then
    return jsonb_build_object('granted', true, 'reservationId', v_reservation,
      'remaining', (v_status ->> 'remaining')::int, 'lessonsPerDay', v_limit,
      'resetsAt', v_status ->> 'resetsAt', 'retryAfterSeconds', null);
  end if;
  v_spend_blocked := (v_status ->> 'monthlySpendLimitUsd') is not null
    and (v_status ->> 'monthlySpendUsd')::numeric >= (v_status ->> 'monthlySpendLimitUsd')::numeric;
  return jsonb_build_object('granted', false, 'reservationId', null,
    'remaining', (v_status ->> 'remaining')::int, 'lessonsPerDay', v_limit,
    'resetsAt', case when v_spend_blocked
                     then private.iso((date_trunc('month', v_today) + interval '1 month')::timestamp at time zone 'UTC')
                     else private.iso(v_resets) end,
    'retryAfterSeconds', greatest(1, ceil(extract(epoch from
        case when v_spend_blocked
             then (date_trunc('month', v_today) + interval '1 month')::timestamp at time zone 'UTC'
             else v_resets end - now())))::int,
    'reason', case when v_spend_blocked then 'monthly_spend' else 'daily_lessons' end);
end
$$;

-- Settle a reservation: keep what was used, refund the rest. One statement; a second call is a no-op
-- that answers the same numbers.
create function public.settle_quota(p_reservation_id uuid, p_used int) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.quota_reservations;
  v_remaining int;
begin
  with s as (
    update public.quota_reservations qr
       set status = 'settled', used = greatest(0, least(coalesce(p_used, 0), qr.lessons)), settled_at = now()
     where qr.id = p_reservation_id and qr.status = 'held'
     returning qr.*
  ), d as (
    update public.quota_days q
       set reserved = greatest(q.reserved - s.lessons, 0), used = q.used + s.used
      from s where q.user_id = s.user_id and q.day = s.day
     returning q.user_id
  )
  select s.* into r from s left join d on true;

  if r.id is null then
    select * into r from public.quota_reservations qr where qr.id = p_reservation_id;
    if r.id is null then
      perform private.raise_app('not_found', 'Reservation not found.');
    end if;
  end if;
  v_remaining := (private.quota_status(r.user_id) ->> 'remaining')::int;
  return jsonb_build_object('used', r.used, 'refunded', r.lessons - r.used, 'remaining', v_remaining);
end
$$;
