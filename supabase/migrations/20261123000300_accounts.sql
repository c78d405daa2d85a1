-- Accounts: health, local sign-in and the profile behind every session. SECURITY DEFINER, for
-- `service_role` only: the server calls them with the user id it authenticated.

create function public.db_health() returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('ok', true,
    'migrationVersion', (select max(m.version) from supabase_migrations.schema_migrations m))
$$;

create function private.profile_json(p public.profiles) returns jsonb
language sql stable
set search_path = ''
as $$
  select case when p.id is null then null else jsonb_build_object(
    'id', p.id, 'email', p.email, 'displayName', p.display_name, 'tier', p.tier, 'role', p.role,
    'isAdmin', p.role = 'admin') end
$$;

create function public.sync_profile(p_user_id uuid, p_email text, p_promote_admin boolean default false)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  v public.profiles;
begin
  if p_user_id is null or v_email is null or v_email = '' then
    perform private.raise_app('invalid_request', 'user id and email are required.');
  end if;
  insert into public.profiles as pr (id, email, display_name, role)
  values (p_user_id, v_email, split_part(v_email, '@', 1),
          case when coalesce(p_promote_admin, false) then 'admin' else 'learner' end)
  on conflict (id) do update
    set email = excluded.email,
        role = case when coalesce(p_promote_admin, false) then 'admin' else pr.role end,
        updated_at = now()
  returning * into v;
  return private.profile_json(v);
end
$$;

create function public.sign_in_local_user(p_email text, p_promote_admin boolean default false) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := lower(btrim(p_email));
  v_id uuid;
  v jsonb;
begin
  if v_email is null or v_email !~ '^[^@\s]+@[^@\s]+$' or char_length(v_email) > 254 then
    perform private.raise_app('invalid_request', 'A valid email is required.');
  end if;
  insert into auth.users (email, raw_app_meta_data) values (v_email, '{"provider":"local"}'::jsonb)
  on conflict (email) do update set last_sign_in_at = now()
  returning id into v_id;
  v := public.sync_profile(v_id, v_email, p_promote_admin);
  return jsonb_build_object('userId', v_id, 'email', v_email, 'role', v ->> 'role', 'tier', v ->> 'tier');
end
$$;

create function public.get_profile(p_user_id uuid) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select private.profile_json(p) from public.profiles p where p.id = p_user_id
$$;
