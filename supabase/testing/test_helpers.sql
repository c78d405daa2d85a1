-- Test databases only: helpers tests use to arrange state. NOT a migration, never deployed; applied by
-- lib/db/testing.ts (applyTestHelpers) after the migrations, as the migrating role. Idempotent.

-- Sets a learner's lessons used today and releases today's held reservations (the "nearly out of
-- quota" preset). SECURITY DEFINER for `service_role`, like the service functions it stands beside.
create or replace function public.seed_quota_usage(p_user_id uuid, p_used int) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_today date := (now() at time zone 'UTC')::date;
begin
  if not exists (select 1 from public.profiles p where p.id = p_user_id) then
    perform private.raise_app('not_found', 'No profile for this user.');
  end if;
  if p_used is null or p_used < 0 then
    perform private.raise_app('invalid_request', 'p_used must be >= 0.');
  end if;
  update public.quota_reservations qr set status = 'settled', used = 0, settled_at = now()
   where qr.user_id = p_user_id and qr.day = v_today and qr.status = 'held';
  insert into public.quota_days (user_id, day, used, reserved) values (p_user_id, v_today, p_used, 0)
  on conflict (user_id, day) do update set used = excluded.used, reserved = 0;
  return jsonb_build_object('userId', p_user_id, 'usedToday', p_used) || private.quota_status(p_user_id);
end
$$;

revoke all on function public.seed_quota_usage(uuid, int) from public, anon, authenticated;
grant execute on function public.seed_quota_usage(uuid, int) to service_role;
