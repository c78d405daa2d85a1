-- Who may execute and read what. Every privilege the API roles hold is granted here, explicitly; the
-- schema file made everything start closed. docs/database.md lists each function with its callers, and
-- tests/db/api-surface.test.ts fails when the database and that list disagree.

-- ---- functions -----------------------------------------------------------------------------------

revoke all on all functions in schema public, private from public, anon, authenticated, service_role;

-- Learner and admin functions (admin ones refuse non-admins themselves).
grant execute on function
  public.me(), public.list_catalog(), public.set_topic_follow(uuid, boolean, text),
  public.list_playlists(), public.create_playlist(text, text), public.get_playlist(uuid),
  public.update_playlist(uuid, text, text), public.delete_playlist(uuid),
  public.add_playlist_lesson(uuid, uuid), public.remove_playlist_lesson(uuid, uuid),
  public.reorder_playlist(uuid, uuid[]), public.get_lesson(uuid), public.get_feed(),
  public.mark_feed_seen(uuid), public.get_my_quota(),
  public.admin_usage(date, date, text), public.admin_usage_savings(date, date),
  public.admin_usage_events(timestamptz, timestamptz, text, text, text, boolean, int),
  public.admin_top_users(date, date, int)
to authenticated;

-- The private helpers the SECURITY INVOKER learner functions call run with the learner's own rights, so
-- the learner's role must be allowed to execute them. They are invoker functions too (row-level
-- security applies inside), and PostgREST does not expose `private`, so they are not an API.
grant usage on schema private to authenticated;
grant execute on function
  private.iso(timestamptz), private.raise_app(text, text), private.require_uid(),
  private.lesson_json(public.lessons, public.topics, public.subjects),
  private.playlist_summary(uuid), private.require_own_playlist(uuid),
  private.check_playlist_fields(text, text), private.touch_playlist(uuid)
to authenticated;

-- Service functions: the server only, with the user id it authenticated.
grant execute on function
  public.db_health(), public.sign_in_local_user(text, boolean), public.sync_profile(uuid, text, boolean),
  public.get_profile(uuid), public.reserve_quota(uuid, int, uuid), public.settle_quota(uuid, int),
  public.begin_generation(uuid, text, text, text, uuid, int),
  public.save_generated_lessons(uuid, jsonb), public.finish_generation(uuid, text, jsonb),
  public.playlist_generation_context(uuid, uuid), public.insert_usage_events(jsonb),
  public.take_rate_limit(text, int, float8, int), public.fyp_fill_from_library(uuid, int),
  public.fyp_fill_group(uuid, text, int, uuid[]), public.fyp_deliver(uuid, uuid[], int), public.fyp_sweep_plan(int, int)
to service_role;

-- ---- tables --------------------------------------------------------------------------------------

-- Table privileges: Supabase grants ALL on new tables to anon/authenticated by default; narrow them so
-- a learner's session can never UPDATE tiers, roles, quotas or usage, even through PostgREST.
revoke all on all tables in schema public from public, anon, authenticated;
grant select on public.tier_limits, public.profiles, public.subjects, public.topics, public.lessons,
  public.generation_requests, public.usage_events, public.usage_daily, public.usage_daily_failures,
  public.usage_daily_latency, public.quota_days,
  public.quota_reservations to authenticated;
grant select, insert, delete on public.topic_follows, public.feed_items, public.playlists,
  public.playlist_lessons to authenticated;
grant update (difficulty) on public.topic_follows to authenticated;
grant update (status, seen_at) on public.feed_items to authenticated;
grant update (title, description, updated_at) on public.playlists to authenticated;
grant update (position) on public.playlist_lessons to authenticated;
grant all on all tables in schema public to service_role;
