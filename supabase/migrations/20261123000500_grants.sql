-- Who may execute what (DESIGN §3). Supabase grants EXECUTE on new functions to everyone by default,
-- so start from nothing and grant each group explicitly.

revoke execute on all functions in schema public from public, anon, authenticated, service_role;

-- Learner functions and the invoker helpers they call (RLS still applies inside them).
grant execute on function
  public.me(), public.list_catalog(), public.set_topic_follow(uuid, boolean, text),
  public.list_playlists(), public.create_playlist(text, text), public.get_playlist(uuid),
  public.update_playlist(uuid, text, text), public.delete_playlist(uuid),
  public.add_playlist_lesson(uuid, uuid), public.remove_playlist_lesson(uuid, uuid),
  public.reorder_playlist(uuid, uuid[]), public.get_lesson(uuid), public.get_feed(),
  public.mark_feed_seen(uuid), public.get_my_quota(),
  public.admin_usage(date, date, text),
  public.admin_usage_events(timestamptz, timestamptz, text, text, text, boolean, int),
  public.admin_top_users(date, date, int),
  public.lesson_json(public.lessons, public.topics, public.subjects), public.normalize_title(text),
  public.iso(timestamptz), public.raise_app(text, text), public.require_uid(),
  public.playlist_summary(uuid), public.require_own_playlist(uuid),
  public.check_playlist_fields(text, text), public.touch_playlist(uuid), public.is_admin()
to authenticated;

-- Service functions: the server only.
grant execute on function
  public.db_health(), public.sign_in_local_user(text, boolean), public.sync_profile(uuid, text, boolean),
  public.get_profile(uuid), public.reserve_quota(uuid, int, uuid), public.settle_quota(uuid, int),
  public.seed_quota_usage(uuid, int),
  public.begin_generation(uuid, text, text, text, uuid, int),
  public.save_generated_lessons(uuid, jsonb), public.finish_generation(uuid, text, jsonb),
  public.playlist_generation_context(uuid, uuid), public.insert_usage_events(jsonb),
  public.take_rate_limit(text, int, float8, int), public.fyp_fill_from_library(uuid, int),
  public.fyp_deliver(uuid, uuid[], int, uuid), public.fyp_release_claims(uuid), public.fyp_sweep_plan(int, int),
  public.lesson_json(public.lessons, public.topics, public.subjects), public.normalize_title(text),
  public.iso(timestamptz)
to service_role;
